/**
 * The one codec of Accord's own message type on the y-protocols wire (type 100: one JSON object with a `type`, as
 * a lib0 varString), used by the server, the client, the tests and the benchmarks alike.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { type ClientMessage, MESSAGE_ACCORD, type ServerMessage } from './messages.ts'

export function encodeAccordFrame(message: ClientMessage | ServerMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_ACCORD)
  encoding.writeVarString(encoder, JSON.stringify(message))
  return encoding.toUint8Array(encoder)
}

/** The JSON object after the message type (already read); null when it is not an object with a `type`. */
export function readAccordBody(decoder: decoding.Decoder): { type: string } | null {
  try {
    const parsed: unknown = JSON.parse(decoding.readVarString(decoder))
    if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string')
      return parsed as { type: string }
  } catch {
    // Not JSON: the caller treats it as malformed.
  }
  return null
}

/** A whole frame's Accord message, or null for any other frame. */
export function decodeAccordFrame(frame: Uint8Array): { type: string } | null {
  try {
    const decoder = decoding.createDecoder(frame)
    return decoding.readVarUint(decoder) === MESSAGE_ACCORD ? readAccordBody(decoder) : null
  } catch {
    return null
  }
}
