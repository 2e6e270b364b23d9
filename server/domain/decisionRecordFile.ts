/**
 * A deliverable's event records on disk (the decision record, the annotation record): the storage layer's
 * checksummed, fsync'd event logs.
 */
import type { DecisionEvent } from '../../shared/domain/consensus.ts'
import type { Logger } from '../logger.ts'
import { DecisionLog, type EventLogKind } from '../storage/decisionLog.ts'
import { repairCommandFor } from '../storage/documentLayout.ts'
import { StorageCorruptError } from '../storage/errors.ts'
import type { FileSystem } from '../storage/fileSystem.ts'
import type { DecisionRecord } from './consensusBook.ts'

/** An event record: appends resolve once durable; the events read when it was opened. */
export interface EventRecord<Event> {
  append(event: Event): Promise<void>
  readAll(): Promise<Event[]>
}

/**
 * Rejects with StorageCorruptError (naming the file and byte offset) when a complete record is damaged: the
 * deliverable's consensus state (or annotations) is refused, never rebuilt without an event it may have held,
 * until an operator repairs the log (docs/OPERATIONS.md).
 */
export async function openEventRecord<Event extends object>(
  fs: FileSystem,
  dataDir: string,
  deliverableId: string,
  logger: Logger,
  kind: EventLogKind,
): Promise<EventRecord<Event>> {
  const opened = await DecisionLog.open<Event>(fs, dataDir, deliverableId, { kind }).catch(
    (error: unknown) => {
      if (error instanceof StorageCorruptError) {
        const { path, offset, reason } = error
        const repair = repairCommandFor(dataDir, deliverableId, kind)
        logger.error(
          { deliverableId, path, offset, reason, repair },
          `${kind} log is damaged: refused until an operator repairs it`,
        )
      }
      throw error
    },
  )
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
  fs: FileSystem,
  dataDir: string,
  deliverableId: string,
  logger: Logger,
): Promise<DecisionRecord> {
  return openEventRecord<DecisionEvent>(fs, dataDir, deliverableId, logger, 'decisions')
}
