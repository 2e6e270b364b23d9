/**
 * Accord's own message type on the y-websocket connection (shared/protocol/messages.ts): JSON in a varString
 * after the varUint type 100. The server only sends these after our hello, which must go out as soon as the
 * socket opens (before sync step 1, which the provider sends right after emitting `status: connected`).
 */
import type { WebsocketProvider } from 'y-websocket'
import { encodeAccordFrame, readAccordBody } from '../../shared/protocol/accordCodec.ts'
import { MESSAGE_ACCORD, PROTOCOL_VERSION, type ServerMessage } from '../../shared/protocol/messages.ts'

/**
 * Registers the handler for Accord messages and says hello on every (re)connection, naming the replica's clientID:
 * the server then acknowledges, once durable, what it holds of this replica ("saved" after a reconnect).
 */
export function attachAccordChannel(
  provider: WebsocketProvider,
  onMessage: (message: ServerMessage) => void,
): () => void {
  provider.messageHandlers[MESSAGE_ACCORD] = (_encoder, decoder) => {
    // A message we cannot read must not break the sync loop; the server's next message tells us more.
    const message = readAccordBody(decoder)
    if (message) onMessage(message as ServerMessage)
  }
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') return
    provider.ws?.send(
      encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION, clientId: provider.doc.clientID }),
    )
  }
  provider.on('status', onStatus)
  return () => provider.off('status', onStatus)
}
