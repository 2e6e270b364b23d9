/**
 * Meetings as an extension of every live document: loading one reads its meeting's saved state again (another
 * process may have held it); a client that says hello hears the state of the meeting in
 * progress on its deliverable and is recorded in its attendance; a `meeting` message is a command to that meeting,
 * validated and judged by the policy like its HTTP twin. A refused or malformed command changes nothing and only
 * its sender hears why.
 */

import { fields } from '../../shared/api/fields.ts'
import { meetingLiveBody } from '../../shared/api/meetings.ts'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import type { MeetingService } from '../domain/meetingService.ts'
import { DomainError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import type { DocumentExtension, DocumentHub } from '../sync/documentHub.ts'
import type { MeetingRooms } from './meetingRooms.ts'

const meetingMessage = meetingLiveBody.extend({ meetingId: fields.id })

export function meetingExtension(
  parts: { rooms: MeetingRooms; meetings: MeetingService; metadata: MetadataStore },
  logger: Logger,
): DocumentExtension {
  const { rooms, meetings, metadata } = parts
  return {
    name: 'meetings',
    // Before any client of the deliverable hears the meeting: its state as saved, wherever it was held before.
    load: (live) => rooms.reread(live.id),
    hello(live, connection) {
      const state = rooms.stateForDeliverable(live.id)
      connection.tell({ type: 'meeting', meeting: state, serverTime: new Date().toISOString() })
      const user = metadata.user(connection.user.id)
      if (state && user)
        meetings
          .recordAttendance(state.meetingId, user)
          .catch((error) => logger.error({ err: error }, 'attendance not recorded'))
    },
    message(live, connection, message) {
      if (message.type !== 'meeting') return
      const parsed = meetingMessage.safeParse(message)
      const user = metadata.user(connection.user.id)
      if (!parsed.success || !user) {
        connection.tell({ type: 'meeting-refused', message: 'Malformed meeting message.' })
        return
      }
      // A connection commands only the meeting in progress on its own deliverable.
      const current = rooms.stateForDeliverable(live.id)
      if (!current || current.meetingId !== parsed.data.meetingId) {
        connection.tell({
          type: 'meeting-refused',
          message: 'No such meeting in progress on this deliverable.',
        })
        return
      }
      rooms
        .apply(parsed.data.meetingId, user, parsed.data.action, {
          key: connection,
          alive: () => !connection.closed,
        })
        .catch((error: unknown) => {
          if (error instanceof DomainError) {
            connection.tell({ type: 'meeting-refused', message: error.message })
            return
          }
          logger.error({ err: error, meetingId: parsed.data.meetingId }, 'meeting command not saved')
          connection.tell({
            type: 'meeting-refused',
            message: 'The server could not save this change to the meeting; nothing changed. Try again.',
          })
        })
    },
  }
}

/** Pushes a meeting's state to the connections of its deliverables that are loaded (the others have none). */
export function broadcastTo(hub: DocumentHub) {
  return (deliverableIds: string[], state: MeetingLiveState | null): void => {
    const message = { type: 'meeting', meeting: state, serverTime: new Date().toISOString() } as const
    for (const id of deliverableIds) hub.loaded(id)?.tellAll(message)
  }
}
