/**
 * A deliverable's event records (the decision record, the annotation record): the storage layer's checksummed
 * event logs, on files (fsync'd) or in PostgreSQL (committed), whichever the storage backend opens.
 */
import type { DecisionEvent } from '../../shared/domain/consensus.ts'
import type { Logger } from '../logger.ts'
import type { EventLogKind } from '../storage/decisionLog.ts'
import { StorageCorruptError } from '../storage/errors.ts'
import type { EventLogOpener } from '../storage/eventLog.ts'
import type { DecisionRecord } from './consensusBook.ts'

/** An event record: appends resolve once durable; the events read when it was opened. */
export interface EventRecord<Event> {
  append(event: Event): Promise<void>
  readAll(): Promise<Event[]>
}

/**
 * Rejects with StorageCorruptError (naming the file and byte offset, or the row) when a record is damaged: the
 * deliverable's consensus state (or annotations) is refused, never rebuilt without an event it may have held,
 * until an operator repairs the log (docs/OPERATIONS.md).
 */
export async function openEventRecord<Event extends object>(
  open: EventLogOpener,
  deliverableId: string,
  logger: Logger,
  kind: EventLogKind,
): Promise<EventRecord<Event>> {
  const opened = await open<Event>(deliverableId, kind).catch((error: unknown) => {
    if (error instanceof StorageCorruptError) {
      // The message quotes the remedy (the repair command for a file log).
      const { path, offset, reason, message } = error
      logger.error(
        { deliverableId, path, offset, reason, remedy: message },
        `${kind} log is damaged: refused until an operator repairs it`,
      )
    }
    throw error
  })
  if (opened.repair) {
    logger.warn(
      { deliverableId, repair: opened.repair },
      `${kind} log had a torn tail (an interrupted append, never acknowledged); cut off and saved aside`,
    )
  }
  const events = opened.events
  return {
    append: (event) => opened.log.append(event),
    readAll: async () => events,
  }
}

export function openDecisionRecord(
  open: EventLogOpener,
  deliverableId: string,
  logger: Logger,
): Promise<DecisionRecord> {
  return openEventRecord<DecisionEvent>(open, deliverableId, logger, 'decisions')
}
