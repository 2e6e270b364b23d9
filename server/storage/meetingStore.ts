/**
 * What a meeting keeps besides its metadata: the state of the meeting in progress (meetings/meetingRooms.ts) and
 * the Word files of its contributions (meetings/contributionDocuments.ts). Files under DATA_DIR
 * (meetingFiles.ts) or rows in PostgreSQL (postgres/meetingStore.ts), with the same guarantees: a write is durable
 * when it resolves; saved state that does not read back as a meeting state is refused with an error naming where
 * it is, and left as it is.
 */
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { StorageCorruptError } from './errors.ts'

/**
 * What of the live state is kept: the room's own decisions. The follower count is not (it counts connections,
 * which a restart closes); title, status and chairs are read from the meeting and the group again.
 */
export type SavedLiveState = Omit<
  MeetingLiveState,
  'meetingId' | 'title' | 'status' | 'chairIds' | 'followers'
>

export interface MeetingFileStore {
  /** The saved live state, null when none was; a StorageError when it cannot be read or is not one. */
  readLive(meetingId: string): Promise<SavedLiveState | null>
  /** Resolves once the state is durable. */
  writeLive(meetingId: string, state: MeetingLiveState): Promise<void>
  /** A closed meeting has no live state; none saved is not an error. */
  removeLive(meetingId: string): Promise<void>
  /** Stores a contribution's file under a name of its own (`name` a well-formed id); durable when it resolves. */
  writeDocument(meetingId: string, name: string, bytes: Uint8Array): Promise<void>
  /** The bytes as stored; throws a StorageError when they cannot be read. */
  readDocument(meetingId: string, name: string): Promise<Uint8Array>
  /** Forgets a file no longer named by the meeting; none stored is not an error. */
  removeDocument(meetingId: string, name: string): Promise<void>
}

/** The part of the live state that is saved. */
export function savedPartOf(state: MeetingLiveState): SavedLiveState {
  const { meetingId: _id, title: _t, status: _s, chairIds: _c, followers: _f, ...saved } = state
  return saved
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Fields a saved state may lack (saved before they existed: the room's defaults fill them) but not mistype. */
const OPTIONAL_FIELDS: Record<string, (value: unknown) => boolean> = {
  presenter: (value) => value === null || isObject(value),
  leader: (value) => value === null || isObject(value),
  agendaItemId: (value) => value === null || typeof value === 'string',
  clause: (value) => value === null || isObject(value),
  floor: (value) => value === null || isObject(value),
  speakingTimeSeconds: (value) => value === null || typeof value === 'number',
}

/**
 * `value` as a saved live state, or a StorageCorruptError naming `where` (a file or a row) when it is not one:
 * restoring a meeting from something else would show its participants a queue nobody set.
 */
export function savedLiveStateFrom(value: unknown, where: string, remedy?: string): SavedLiveState {
  const wrong = (reason: string) => new StorageCorruptError(where, undefined, reason, remedy)
  if (!isObject(value)) throw wrong('not a meeting state (not an object)')
  if (!Array.isArray(value.queue) || !value.queue.every(isObject))
    throw wrong('not a meeting state (its queue is not a list of entries)')
  if (typeof value.queueOpen !== 'boolean')
    throw wrong('not a meeting state (queueOpen is not true or false)')
  for (const [field, fits] of Object.entries(OPTIONAL_FIELDS))
    if (field in value && !fits(value[field]))
      throw wrong(`not a meeting state (${field} has the wrong type)`)
  return value as unknown as SavedLiveState
}
