/**
 * The meetings in progress: presenter, "Now discussing", the speaking queue and the floor, owned here and pushed
 * to every live connection of the meeting's deliverables as a `meeting` message (never awareness, which any
 * client writes). Commands come over the socket or HTTP; the policy decides who may give each, and a refused
 * command changes nothing. Each command is applied to a copy of the state, which becomes the state and is pushed
 * at once, then made durable (storage/meetingStore.ts: files or PostgreSQL) before the command is answered: an
 * acknowledged command survives a crash, and a command that cannot be saved is taken back for everyone (the
 * previous state pushed again) and refused. The push does not wait for the disk because the state is a pointer
 * into the text, not text: followers lose nothing if a crash takes back a move nobody was told had succeeded, while
 * an fsync's tail (up to 36 ms on the benchmark's disk) was the largest part of a move's p99 at 1,000 followers.
 * Commands of one meeting run one at a time. Who follows is the only part kept in memory alone (it counts
 * connections, which a restart closes). A saved state that cannot be read back is never overwritten: the meeting's
 * commands are refused with the reason until it reads back.
 */

import { newId } from '../../shared/domain/ids.ts'
import type { Meeting } from '../../shared/domain/meetings.ts'
import type { MeetingCommand, MeetingLiveState, Person } from '../../shared/domain/meetingsLive.ts'
import { COMMAND_ACTION, enqueue, isQueued, nextSpeaker } from '../../shared/domain/meetingsLive.ts'
import { chairsGroupOrParent } from '../../shared/domain/policy.ts'
import type { User } from '../../shared/domain/types.ts'
import type { MeetingService } from '../domain/meetingService.ts'
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { SerialQueue } from '../serialQueue.ts'
import type { MeetingFileStore, SavedLiveState } from '../storage/meetingStore.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'

/** Where the state is pushed: the live documents of the meeting's deliverables. */
export type MeetingBroadcast = (deliverableIds: string[], state: MeetingLiveState | null) => void

interface Room {
  state: MeetingLiveState
  /** Follow flags by connection; a closed connection no longer counts. */
  followers: Map<object, () => boolean>
  /** The meeting's commands and file writes, one at a time. */
  writes: SerialQueue
  /** A push of the follower count already scheduled. */
  countPush: NodeJS.Timeout | null
}

/**
 * Follower counts are pushed at most this often: with hundreds of followers joining, a push per follow would send
 * every follower a message per follower (the count is read live by each push anyway).
 */
export const FOLLOWER_COUNT_PUSH_MS = 1000

/** Where the live state is made durable, and where failures to clean up are reported. */
export interface MeetingRoomsStorage {
  files: MeetingFileStore
  logger: Logger
}

export class MeetingRooms {
  private readonly rooms = new Map<string, Room>()
  /** Open meetings whose saved state could not be read at start (restoreLate). */
  private readonly unrestored = new Set<string>()

  constructor(
    private readonly meetings: MeetingService,
    private readonly metadata: MetadataStore,
    private readonly storage: MeetingRoomsStorage,
    private readonly broadcast: MeetingBroadcast,
  ) {}

  /**
   * At start: every open meeting gets back the state it had. One whose state cannot be read is logged and shown
   * empty, and its commands are refused until the state reads back (restoreLate).
   */
  async restore(): Promise<void> {
    for (const meeting of this.metadata.data.meetings.filter((m) => m.status === 'open')) {
      const saved = await this.readSaved(meeting.id)
      if (saved) this.room(meeting, saved)
    }
  }

  /**
   * A deliverable of an open meeting is loaded here: the meeting's saved state is read again before any client of
   * it hears the meeting. In one process that is what memory holds (every command is saved before it becomes the
   * state); in a cluster another node may have held the meeting meanwhile (cluster/meetingAffinity.ts), and a
   * command judged against an old copy would overwrite what that node saved. A state that cannot be read refuses
   * the meeting's commands until it can (restoreLate).
   */
  async reread(deliverableId: string): Promise<void> {
    const deliverable = this.metadata.deliverable(deliverableId)
    const meeting = deliverable ? this.meetings.openMeetingFor(deliverable) : null
    if (!meeting) return
    const room = this.room(meeting)
    await room.writes.run(async () => {
      const saved = await this.readSaved(meeting.id)
      if (!saved || this.rooms.get(meeting.id) !== room) return
      this.unrestored.delete(meeting.id)
      room.state = { ...room.state, ...saved, followers: room.state.followers }
    })
  }

  /** The saved state; null when none was, or when it cannot be read (logged, and its commands refused until then). */
  private async readSaved(meetingId: string): Promise<SavedLiveState | null> {
    try {
      return await this.storage.files.readLive(meetingId)
    } catch (error) {
      this.storage.logger.error(
        { err: error, meetingId },
        'meeting state not read: its commands are refused until it reads back',
      )
      this.unrestored.add(meetingId)
      return null
    }
  }

  presenterOf(meetingId: string): string | null {
    return this.rooms.get(meetingId)?.state.presenter?.userId ?? null
  }

  /** The state of an open meeting; null for one not open. */
  state(meetingId: string): MeetingLiveState | null {
    const meeting = this.metadata.meeting(meetingId)
    if (meeting?.status !== 'open') return null
    const room = this.room(meeting)
    // Closed connections are forgotten here, so that a long meeting's churn does not pile up.
    for (const [key, alive] of room.followers) if (!alive()) room.followers.delete(key)
    room.state.followers = room.followers.size
    return room.state
  }

  /** The open meeting of a deliverable and its state (sent on hello). */
  stateForDeliverable(deliverableId: string): MeetingLiveState | null {
    const deliverable = this.metadata.deliverable(deliverableId)
    const meeting = deliverable ? this.meetings.openMeetingFor(deliverable) : null
    return meeting ? this.state(meeting.id) : null
  }

  /** A meeting opened or closed: everyone on its deliverables learns it. */
  statusChanged(meeting: Meeting): void {
    if (meeting.status !== 'open') this.forget(meeting.id)
    this.push(meeting)
  }

  /** A closed meeting has no live state; one that could not be read is left as it is, for whoever investigates. */
  private forget(meetingId: string): void {
    const room = this.rooms.get(meetingId)
    this.rooms.delete(meetingId)
    if (room?.countPush) clearTimeout(room.countPush)
    if (this.unrestored.delete(meetingId)) {
      this.storage.logger.warn({ meetingId }, 'closed meeting kept its unreadable saved state')
      return
    }
    if (room)
      void room.writes
        .run(() => this.storage.files.removeLive(meetingId))
        .catch((error: unknown) =>
          this.storage.logger.error({ err: error, meetingId }, 'closed meeting state not removed'),
        )
  }

  /**
   * Applies one command for `user` once it is durable; `connection` identifies a socket for the follow count.
   * Rejects with a typed error (and changes nothing) when the meeting is not open, the user may not, or the command
   * does not fit the state; with a storage error when it cannot be saved.
   */
  async apply(
    meetingId: string,
    user: User,
    command: MeetingCommand,
    connection?: { alive: () => boolean; key: object },
  ): Promise<MeetingLiveState | null> {
    const meeting = this.openMeeting(meetingId)
    if (command.kind === 'follow') {
      const room = this.room(meeting)
      this.authorize(meeting, room, user, command)
      if (connection && this.follow(room, command.following, connection) && !room.countPush)
        room.countPush = setTimeout(() => {
          room.countPush = null
          if (this.rooms.get(meeting.id) === room) this.push(meeting)
        }, FOLLOWER_COUNT_PUSH_MS).unref()
      return this.state(meeting.id)
    }
    return this.room(meeting).writes.run(async () => {
      // Judged against the state as it is once the commands before it are done.
      const current = this.openMeeting(meetingId)
      const room = this.room(current)
      await this.restoreLate(current, room)
      this.authorize(current, room, user, command)
      const draft = structuredClone(room.state)
      if (this.run(current, draft, user, command)) {
        const before = room.state
        this.show(current, room, draft)
        try {
          await this.storage.files.writeLive(current.id, draft)
        } catch (error) {
          if (this.rooms.get(current.id) === room) this.show(current, room, before)
          throw error
        }
      }
      return this.state(current.id)
    })
  }

  /**
   * A meeting whose saved state could not be read at start reads it again before a command: a command judged
   * against the empty state would overwrite what it held. Throws (the command is refused) while it still cannot.
   */
  private async restoreLate(meeting: Meeting, room: Room): Promise<void> {
    if (!this.unrestored.has(meeting.id)) return
    const saved = await this.storage.files.readLive(meeting.id)
    this.unrestored.delete(meeting.id)
    if (saved) room.state = { ...room.state, ...saved }
    this.push(meeting)
  }

  private openMeeting(meetingId: string): Meeting {
    const meeting = this.metadata.meeting(meetingId)
    if (!meeting) throw new NotFoundError('No such meeting.')
    if (meeting.status !== 'open') throw new ConflictError('The meeting is not open.')
    return meeting
  }

  private authorize(meeting: Meeting, room: Room, user: User, command: MeetingCommand): void {
    const action = COMMAND_ACTION[command.kind]
    if (!this.meetings.may(user, action, meeting, room.state.presenter?.userId ?? null))
      throw new AuthorizationError(`You may not do this in the meeting ("${command.kind}").`)
  }

  /** True when the count changed. */
  private follow(room: Room, following: boolean, connection: { alive: () => boolean; key: object }): boolean {
    const had = room.followers.has(connection.key)
    if (following) room.followers.set(connection.key, connection.alive)
    else room.followers.delete(connection.key)
    return had !== following
  }

  /** Applies a command to `state` in place; false when it changes nothing. */
  private run(meeting: Meeting, state: MeetingLiveState, user: User, command: MeetingCommand): boolean {
    const now = new Date()
    const me: Person = { userId: user.id, name: user.name, organization: user.organization }
    switch (command.kind) {
      case 'discuss': {
        const item = command.agendaItemId ? meeting.agenda.find((a) => a.id === command.agendaItemId) : null
        if (command.agendaItemId && !item) throw new ValidationError('agendaItemId: no such agenda item.')
        let clause = null
        if (command.sectionId) {
          const deliverableId = command.deliverableId ?? item?.clauses[0]?.deliverableId
          if (!deliverableId || !this.meetings.treated(meeting).some((d) => d.id === deliverableId))
            throw new ValidationError('deliverableId: not a deliverable of this meeting.')
          clause = { deliverableId, sectionId: command.sectionId }
        } else if (item?.clauses[0]) clause = item.clauses[0]
        state.agendaItemId = item?.id ?? state.agendaItemId
        state.clause = clause ?? (command.agendaItemId ? null : state.clause)
        const chairs = chairsGroupOrParent(
          user,
          this.metadata.group(meeting.groupId),
          this.metadata.groupLookup,
        )
        state.leader = { ...me, role: chairs || user.admin ? 'chair' : 'presenter' }
        return true
      }
      case 'set-presenter': {
        if (command.userId === null) {
          state.presenter = null
          return true
        }
        const presenter = this.metadata.user(command.userId)
        if (!presenter || !this.meetings.may(presenter, 'request-floor', meeting))
          throw new ValidationError('userId: the presenter must be a member of the group.')
        state.presenter = { userId: presenter.id, name: presenter.name, organization: presenter.organization }
        return true
      }
      case 'request-floor':
        if (!state.queueOpen) throw new ConflictError('The queue is closed.')
        if (isQueued(state.queue, user.id)) throw new ConflictError('You are already in the queue.')
        state.queue = enqueue(state.queue, {
          ...me,
          id: newId(8),
          note: command.note || null,
          reply: command.reply === true && state.floor !== null,
          addedByChair: false,
          at: now.toISOString(),
        })
        return true
      case 'withdraw': {
        const before = state.queue.length
        state.queue = state.queue.filter((e) => e.userId !== user.id)
        return state.queue.length !== before
      }
      case 'next': {
        const { queue, floor } = nextSpeaker(state, now)
        state.queue = queue
        state.floor = floor
        return true
      }
      case 'add-speaker':
        state.queue = enqueue(state.queue, {
          userId: null,
          name: command.name,
          organization: command.organization ?? '',
          id: newId(8),
          note: command.note || null,
          reply: false,
          addedByChair: true,
          at: now.toISOString(),
        })
        return true
      case 'remove-entry':
        state.queue = state.queue.filter((e) => e.id !== command.entryId)
        return true
      case 'queue-open':
        state.queueOpen = command.open
        return true
      case 'speaking-time':
        state.speakingTimeSeconds = command.seconds
        if (state.floor)
          state.floor.endsAt =
            command.seconds === null ? null : new Date(now.getTime() + command.seconds * 1000).toISOString()
        return true
      case 'follow':
        return false
    }
  }

  private room(meeting: Meeting, saved?: SavedLiveState): Room {
    let room = this.rooms.get(meeting.id)
    if (!room) {
      const group = this.metadata.group(meeting.groupId)
      const parent = group?.parentId ? this.metadata.group(group.parentId) : undefined
      const chairIds = [group, parent].flatMap((g) =>
        Object.entries(g?.members ?? {})
          .filter(([, role]) => role === 'chair')
          .map(([id]) => id),
      )
      room = {
        followers: new Map(),
        writes: new SerialQueue(),
        countPush: null,
        state: {
          meetingId: meeting.id,
          title: meeting.title,
          status: 'open',
          chairIds,
          presenter: null,
          leader: null,
          agendaItemId: null,
          clause: null,
          queue: [],
          queueOpen: true,
          floor: null,
          speakingTimeSeconds: null,
          followers: 0,
          ...saved,
        },
      }
      this.rooms.set(meeting.id, room)
    }
    return room
  }

  /** Makes `state` the room's state, keeping who follows (counted here, never saved), and pushes it. */
  private show(meeting: Meeting, room: Room, state: MeetingLiveState): void {
    room.state = { ...state, followers: room.state.followers }
    this.push(meeting)
  }

  private push(meeting: Meeting): void {
    const ids = this.meetings.treated(meeting).map((d) => d.id)
    this.broadcast(ids, this.state(meeting.id))
  }
}
