/**
 * The per-kind size limits of an incoming frame (presence is small, document sync may be large). One place, since
 * two parts of the server screen frames: the live document for its own clients and, in a cluster, the node a
 * relayed client is connected to (cluster/edgeScreen.ts), which must refuse exactly what the owner would.
 */
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import type { IncomingMessage } from './wire.ts'

export interface MessageLimits {
  maxSyncMessageBytes: number
  maxAwarenessMessageBytes: number
}

/** The refusal to send before closing (CLOSE_CODES.tooLarge) when the frame is over its kind's limit, else null. */
export function tooLarge(
  message: IncomingMessage,
  frameBytes: number,
  limits: MessageLimits,
): Extract<ServerMessage, { type: 'refused' }> | null {
  const limit = message.kind === 'awareness' ? limits.maxAwarenessMessageBytes : limits.maxSyncMessageBytes
  if (frameBytes <= limit) return null
  return { type: 'refused', reason: 'too-large', message: `Message over the ${limit}-byte limit.` }
}
