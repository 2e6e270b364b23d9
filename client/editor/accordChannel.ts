/**
 * Accord's own message type on the y-websocket connection (shared/protocol/messages.ts): JSON in a varString
 * after the varUint type 100. The server only sends these after our hello, which must go out as soon as the
 * socket opens (before sync step 1, which the provider sends right after emitting `status: connected`).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebsocketProvider } from 'y-websocket'
import {
  type ClientMessage,
  MESSAGE_ACCORD,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../../shared/protocol/messages.ts'

export function encodeAccordMessage(message: ClientMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_ACCORD)
  encoding.writeVarString(encoder, JSON.stringify(message))
  return encoding.toUint8Array(encoder)
}

/** Reads the JSON of a type-100 message whose type has already been read; null when it is not an object. */
export function readAccordMessage(decoder: decoding.Decoder): ServerMessage | null {
  try {
    const parsed: unknown = JSON.parse(decoding.readVarString(decoder))
    if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string') {
      return parsed as ServerMessage
    }
  } catch {
    // A message we cannot read must not break the sync loop; the server's next message will tell us more.
  }
  return null
}

/** Registers the handler for Accord messages and says hello on every (re)connection. */
export function attachAccordChannel(
  provider: WebsocketProvider,
  onMessage: (message: ServerMessage) => void,
): () => void {
  provider.messageHandlers[MESSAGE_ACCORD] = (_encoder, decoder) => {
    const message = readAccordMessage(decoder)
    if (message) onMessage(message)
  }
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') return
    provider.ws?.send(encodeAccordMessage({ type: 'hello', version: PROTOCOL_VERSION }))
  }
  provider.on('status', onStatus)
  return () => provider.off('status', onStatus)
}
