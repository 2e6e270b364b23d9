/**
 * Encoders and decoders of the messages on the sync socket, one per message type (y-protocols framing:
 * varUint message type, then the body). Client input is only decoded here, never applied.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { encodeAccordFrame, readAccordBody } from '../../shared/protocol/accordCodec.ts'
import {
  type ClientMessage,
  MESSAGE_ACCORD,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  type ServerMessage,
} from '../../shared/protocol/messages.ts'

export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

export type IncomingMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'auth' }
  | { kind: 'accord'; message: ClientMessage | { type: string } }

export class MalformedMessageError extends Error {}

/** Decodes one frame; throws MalformedMessageError for anything that is not a whole, known message. */
export function decodeIncoming(data: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    let message: IncomingMessage
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder)
        const payload = readExactBytes(decoder)
        if (step === SYNC_STEP_1) message = { kind: 'sync-step-1', stateVector: payload }
        else if (step === SYNC_STEP_2) message = { kind: 'sync-step-2', update: payload }
        else if (step === SYNC_UPDATE) message = { kind: 'sync-update', update: payload }
        else throw new MalformedMessageError(`unknown sync step ${step}`)
        break
      }
      case MESSAGE_AWARENESS:
        message = { kind: 'awareness', update: readExactBytes(decoder) }
        break
      case 2:
        message = { kind: 'auth' }
        break
      case 3:
        message = { kind: 'query-awareness' }
        break
      case MESSAGE_ACCORD: {
        const parsed = readAccordBody(decoder)
        if (!parsed) throw new MalformedMessageError('an Accord message must be a JSON object with a type')
        message = { kind: 'accord', message: parsed }
        break
      }
      default:
        throw new MalformedMessageError(`unknown message type ${type}`)
    }
    return message
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error
    throw new MalformedMessageError(`undecodable message: ${(error as Error).message}`)
  }
}

/** A varUint8Array whose declared length must fit in what was received (no silent truncation). */
function readExactBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder)
  if (length > decoder.arr.length - decoder.pos)
    throw new MalformedMessageError('length prefix beyond the frame')
  return decoding.readUint8Array(decoder, length)
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export const encodeSyncStep1 = (stateVector: Uint8Array) =>
  frame(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_STEP_1)
    encoding.writeVarUint8Array(e, stateVector)
  })

export const encodeSyncStep2 = (update: Uint8Array) =>
  frame(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_STEP_2)
    encoding.writeVarUint8Array(e, update)
  })

export const encodeSyncUpdate = (update: Uint8Array) =>
  frame(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_UPDATE)
    encoding.writeVarUint8Array(e, update)
  })

export const encodeAwareness = (update: Uint8Array) =>
  frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, update))

export const encodeAccord = (message: ServerMessage): Uint8Array => encodeAccordFrame(message)
