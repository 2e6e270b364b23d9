/**
 * What Accord adds to the y-protocols wire (documented in docs/API.md): one extra message type carrying JSON,
 * sent by the server only to clients that said `hello` (a plain y-websocket client logs an error for every
 * unknown type), and the close codes used for plain clients. The v3 y-websocket client stops reconnecting on
 * 4400-4499, so every refusal that would repeat itself uses one of those.
 */
import type { PresentedComment, PresentedSuggestion } from '../api/annotations.ts'
import type { Section } from '../api/sections.ts'
import type { MeetingCommand, MeetingLiveState } from '../domain/meetingsLive.ts'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3
/** Accord's own messages: a varString holding one JSON object with a `type`. */
export const MESSAGE_ACCORD = 100

export const PROTOCOL_VERSION = 1

export type RefusalReason =
  | 'read-only'
  | 'section-locked'
  | 'resync-required'
  | 'too-large'
  | 'storage-unavailable'

export const CLOSE_CODES = {
  malformed: 4400,
  sessionEnded: 4401,
  forbidden: 4403,
  notFound: 4404,
  readOnly: 4405,
  resyncRequired: 4409,
  tooLarge: 4413,
  sectionLocked: 4423,
  /** Shutdown: the client reconnects. */
  goingAway: 1001,
  serviceRestart: 1012,
  /** Storage refused a write: reconnecting later is right. */
  tryAgainLater: 1013,
} as const

export const REFUSAL_CLOSE_CODE: Record<RefusalReason, number> = {
  'read-only': CLOSE_CODES.readOnly,
  'section-locked': CLOSE_CODES.sectionLocked,
  'resync-required': CLOSE_CODES.resyncRequired,
  'too-large': CLOSE_CODES.tooLarge,
  'storage-unavailable': CLOSE_CODES.tryAgainLater,
}

/**
 * Client → server. `hello` names the replica's Yjs clientID: the server claims it for the user at once (nobody
 * else may write under it) and acknowledges what it durably holds of that replica.
 */
export type ClientMessage =
  | { type: 'hello'; version: number; clientId?: number }
  /** A command to the meeting in progress (docs/API.md "Meetings (details)"); the policy decides who may. */
  | { type: 'meeting'; meetingId: string; action: MeetingCommand }

/** A section's consensus state as the live connection sends it (all sections after hello, then each change). */
export interface SectionState extends Pick<Section, 'id' | 'status' | 'required' | 'objections'> {
  /** Null when the server did not hash the clause for this message (a draft without objections, on hello). */
  hash: string | null
  /** Agreed content hash while agreed. */
  agreedHash: string | null
}

/** Server → client (only after hello). */
export type ServerMessage =
  /** Followed at once by a `consensus` message with every section. */
  | { type: 'welcome'; version: number; canEdit: boolean; userId: string }
  /** Everything this connection sent up to these clocks (clientID → clock) is on disk. */
  | { type: 'saved'; clocks: Record<string, number> }
  | { type: 'refused'; reason: RefusalReason; message: string; sectionIds?: string[] }
  | { type: 'access'; canEdit: boolean }
  | { type: 'consensus'; sections: SectionState[] }
  | { type: 'storage'; writable: boolean; message: string }
  | { type: 'session-ended'; message: string }
  /**
   * The state of the meeting in progress on this deliverable, owned by the server (never awareness); null when
   * none is open. `serverTime` lets the client count a speaking time down on its own clock.
   */
  | { type: 'meeting'; meeting: MeetingLiveState | null; serverTime: string }
  /** A meeting command this connection sent was refused; nothing changed. */
  | { type: 'meeting-refused'; message: string }
  /** Comments and suggestions that were made or changed (SYNC.md §7): durable before they are sent. */
  | { type: 'annotations'; comments: PresentedComment[]; suggestions: PresentedSuggestion[] }
