/** The decision record of a deliverable on disk: the storage layer's checksummed, fsync'd decision log. */
import type { DecisionEvent } from '../../shared/domain/consensus.ts'
import type { Logger } from '../logger.ts'
import { DecisionLog } from '../storage/decisionLog.ts'
import { repairCommandFor } from '../storage/documentLayout.ts'
import { StorageCorruptError } from '../storage/errors.ts'
import type { FileSystem } from '../storage/fileSystem.ts'
import type { DecisionRecord } from './consensusBook.ts'

/**
 * Rejects with StorageCorruptError (naming the file and byte offset) when a complete record is damaged: the
 * deliverable's consensus state is refused, never rebuilt without an agreement it may have held, until an
 * operator repairs the log (docs/OPERATIONS.md).
 */
export async function openDecisionRecord(
  fs: FileSystem,
  dataDir: string,
  deliverableId: string,
  logger: Logger,
): Promise<DecisionRecord> {
  const opened = await DecisionLog.open<DecisionEvent>(fs, dataDir, deliverableId).catch((error: unknown) => {
    if (error instanceof StorageCorruptError) {
      const { path, offset, reason } = error
      const repair = repairCommandFor(dataDir, deliverableId, true)
      logger.error(
        { deliverableId, path, offset, reason, repair },
        'decision log is damaged: consensus state refused until an operator repairs it',
      )
    }
    throw error
  })
  if (opened.repair) {
    logger.warn(
      { deliverableId, repair: opened.repair },
      'decision log had a torn tail (an interrupted append, never acknowledged); cut off and saved aside',
    )
  }
  const events = opened.events
  return {
    append: (event) => opened.log.append(event),
    readAll: async () => events,
  }
}
