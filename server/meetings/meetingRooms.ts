/**
 * The meetings in progress: presenter, "Now discussing", the speaking queue and the floor, owned here and pushed
 * to every live connection of the meeting's deliverables as a `meeting` message (never awareness, which any
 * client writes). Commands come over the socket or HTTP; the policy decides who may give each, and a refused
 * command changes nothing. The state lives in memory: it is the room's, not the record's (the record is the
 * decisions, dispositions and attendance, which the meeting service keeps durable).
 */

import { newId } from '../../shared/domain/ids.ts'
import type { Meeting } from '../../shared/domain/meetings.ts'
import type { MeetingCommand, MeetingLiveState, Person } from '../../shared/domain/meetingsLive.ts'
import { COMMAND_ACTION, enqueue, isQueued, nextSpeaker } from '../../shared/domain/meetingsLive.ts'
import { chairsGroupOrParent } from '../../shared/domain/policy.ts'
import type { User } from '../../shared/domain/types.ts'
import type { MeetingService } from '../domain/meetingService.ts'
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'

/** Where the state is pushed: the live documents of the meeting's deliverables. */
export type MeetingBroadcast = (deliverableIds: string[], state: MeetingLiveState | null) => void

interface Room {
  state: MeetingLiveState
  /** Follow flags by connection; a closed connection no longer counts. */
  followers: Map<object, () => boolean>
}

export class MeetingRooms {
  private readonly rooms = new Map<string, Room>()
  broadcast: MeetingBroadcast = () => undefined

  constructor(
    private readonly meetings: MeetingService,
    private readonly metadata: MetadataStore,
  ) {}

  presenterOf(meetingId: string): string | null {
    return this.rooms.get(meetingId)?.state.presenter?.userId ?? null
  }

  /** The state of an open meeting; null for one not open. */
  state(meetingId: string): MeetingLiveState | null {
    const meeting = this.metadata.meeting(meetingId)
    if (meeting?.status !== 'open') return null
    const room = this.room(meeting)
    room.state.followers = [...room.followers.values()].filter((alive) => alive()).length
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
    if (meeting.status !== 'open') this.rooms.delete(meeting.id)
    this.push(meeting)
  }

  /**
   * Applies one command for `user`; `connection` identifies a socket for the follow count. Throws a typed error
   * (and changes nothing) when the meeting is not open, the user may not, or the command does not fit the state.
   */
  apply(
    meetingId: string,
    user: User,
    command: MeetingCommand,
    connection?: { alive: () => boolean; key: object },
  ) {
    const meeting = this.metadata.meeting(meetingId)
    if (!meeting) throw new NotFoundError('No such meeting.')
    if (meeting.status !== 'open') throw new ConflictError('The meeting is not open.')
    const room = this.room(meeting)
    const action = COMMAND_ACTION[command.kind]
    if (!this.meetings.may(user, action, meeting, room.state.presenter?.userId ?? null))
      throw new AuthorizationError(`You may not do this in the meeting ("${command.kind}").`)
    const changed = this.run(meeting, room, user, command, connection)
    if (changed) this.push(meeting)
    return this.state(meeting.id)
  }

  private run(
    meeting: Meeting,
    room: Room,
    user: User,
    command: MeetingCommand,
    connection?: { alive: () => boolean; key: object },
  ): boolean {
    const state = room.state
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
        if (!connection) return false
        if (command.following) room.followers.set(connection.key, connection.alive)
        else room.followers.delete(connection.key)
        return true
    }
  }

  private room(meeting: Meeting): Room {
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
        },
      }
      this.rooms.set(meeting.id, room)
    }
    return room
  }

  private push(meeting: Meeting): void {
    const ids = this.meetings.treated(meeting).map((d) => d.id)
    this.broadcast(ids, this.state(meeting.id))
  }
}
