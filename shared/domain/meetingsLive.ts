/**
 * A meeting in progress: who presents, what is being discussed, the speaking queue and who has the floor. The
 * server owns this state and pushes it over the live connection (never awareness, which any client writes); these
 * plain functions are the queue's rules, so the server applies them and the tests read them.
 *
 * The queue works the way standards chairs run one: a request may carry a "to say …" note; a reply to the current
 * speaker goes before every plain request (replies among themselves in order); the chair gives the floor to the
 * first in line, may add someone who is in the room but not connected, close and reopen the queue, and set a
 * speaking time that everyone sees counting down.
 */
import type { MeetingAction } from './policy.ts'

export interface Person {
  userId: string | null
  name: string
  organization: string
}

export interface QueueEntry extends Person {
  id: string
  note: string | null
  /** A reply to the current speaker: goes before plain requests. */
  reply: boolean
  /** Added by the chair for someone in the room without a connection. */
  addedByChair: boolean
  at: string
}

export interface Floor extends Person {
  since: string
  /** When the speaking time runs out; null without a speaking time. */
  endsAt: string | null
}

export interface MeetingLiveState {
  meetingId: string
  title: string
  status: 'open' | 'closed'
  chairIds: string[]
  presenter: Person | null
  /** Who set "Now discussing" last (the one participants follow). */
  leader: (Person & { role: 'chair' | 'presenter' }) | null
  agendaItemId: string | null
  /** The clause under discussion, by clause id. */
  clause: { deliverableId: string; sectionId: string } | null
  queue: QueueEntry[]
  queueOpen: boolean
  floor: Floor | null
  /** Seconds each speaker gets; null: no limit. */
  speakingTimeSeconds: number | null
  /** Connections that said they follow (the presenter sees the count). */
  followers: number
}

/** What a participant or the chair asks of the meeting in progress (the live `meeting` message's `action`). */
export type MeetingCommand =
  | {
      kind: 'discuss'
      agendaItemId?: string | null
      deliverableId?: string | null
      sectionId?: string | null
    }
  | { kind: 'set-presenter'; userId: string | null }
  | { kind: 'request-floor'; note?: string; reply?: boolean }
  | { kind: 'withdraw' }
  | { kind: 'next' }
  | { kind: 'add-speaker'; name: string; organization?: string; note?: string }
  | { kind: 'remove-entry'; entryId: string }
  | { kind: 'queue-open'; open: boolean }
  | { kind: 'speaking-time'; seconds: number | null }
  | { kind: 'follow'; following: boolean }

/** The policy's meeting action each live command needs (policy.ts decides who may take it). */
export const COMMAND_ACTION: Record<MeetingCommand['kind'], MeetingAction> = {
  discuss: 'present',
  'set-presenter': 'name-presenter',
  'request-floor': 'request-floor',
  withdraw: 'request-floor',
  next: 'manage-queue',
  'add-speaker': 'manage-queue',
  'remove-entry': 'manage-queue',
  'queue-open': 'manage-queue',
  'speaking-time': 'manage-queue',
  follow: 'view',
}

/** Inserts a request in its place: replies after the replies already waiting, plain requests at the end. */
export function enqueue(queue: QueueEntry[], entry: QueueEntry): QueueEntry[] {
  if (!entry.reply) return [...queue, entry]
  const firstPlain = queue.findIndex((e) => !e.reply)
  if (firstPlain === -1) return [...queue, entry]
  return [...queue.slice(0, firstPlain), entry, ...queue.slice(firstPlain)]
}

/** True when the user already waits in the queue (one request per person). */
export function isQueued(queue: QueueEntry[], userId: string): boolean {
  return queue.some((e) => e.userId === userId)
}

/** The floor given to the first in line, with the speaking time counted from now. */
export function nextSpeaker(
  state: Pick<MeetingLiveState, 'queue' | 'speakingTimeSeconds'>,
  now: Date,
): { queue: QueueEntry[]; floor: Floor | null } {
  const [first, ...rest] = state.queue
  if (!first) return { queue: [], floor: null }
  const endsAt =
    state.speakingTimeSeconds === null
      ? null
      : new Date(now.getTime() + state.speakingTimeSeconds * 1000).toISOString()
  return {
    queue: rest,
    floor: {
      userId: first.userId,
      name: first.name,
      organization: first.organization,
      since: now.toISOString(),
      endsAt,
    },
  }
}

/** Seconds left of the floor's speaking time at `now` (never negative); null without a speaking time. */
export function secondsLeft(floor: Floor | null, now: number): number | null {
  if (!floor?.endsAt) return null
  return Math.max(0, Math.ceil((Date.parse(floor.endsAt) - now) / 1000))
}

/** "Following Ana (chair)". */
export function followBanner(state: MeetingLiveState | null): string | null {
  if (!state?.leader) return null
  return `${state.leader.name} (${state.leader.role})`
}
