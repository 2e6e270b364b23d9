/**
 * The meeting messages on the editor's live connection. The collab session reads Accord's messages and ignores
 * those it does not know; this wraps its handler so that `meeting` and `meeting-refused` come here, and sends
 * meeting commands on the same socket. The state is the server's: nothing here decides who may do what.
 */
import type * as decoding from 'lib0/decoding'
import type { WebsocketProvider } from 'y-websocket'
import type { MeetingCommand } from '../../shared/domain/meetingsLive.ts'
import { encodeAccordFrame, readAccordBody } from '../../shared/protocol/accordCodec.ts'
import { MESSAGE_ACCORD, type ServerMessage } from '../../shared/protocol/messages.ts'

export type MeetingMessage = Extract<ServerMessage, { type: 'meeting' | 'meeting-refused' }>

export function listenForMeetings(
  provider: WebsocketProvider,
  onMessage: (message: MeetingMessage) => void,
): () => void {
  const original = provider.messageHandlers[MESSAGE_ACCORD]
  if (!original) return () => undefined
  const wrapped: typeof original = (encoder, decoder: decoding.Decoder, ...rest) => {
    const start = decoder.pos
    const message = readAccordBody(decoder)
    if (message?.type === 'meeting' || message?.type === 'meeting-refused') {
      onMessage(message as MeetingMessage)
      return
    }
    // Not ours: the session reads it from the start.
    decoder.pos = start
    original(encoder, decoder, ...rest)
  }
  provider.messageHandlers[MESSAGE_ACCORD] = wrapped
  return () => {
    if (provider.messageHandlers[MESSAGE_ACCORD] === wrapped)
      provider.messageHandlers[MESSAGE_ACCORD] = original
  }
}

export function sendMeetingCommand(
  provider: WebsocketProvider,
  meetingId: string,
  action: MeetingCommand,
): void {
  if (provider.ws?.readyState === WebSocket.OPEN)
    provider.ws.send(encodeAccordFrame({ type: 'meeting', meetingId, action }))
}
