/** The decision record of a deliverable on disk: the storage layer's checksummed, fsync'd decision log. */
import type { DecisionEvent } from '../../shared/domain/consensus.ts'
import type { Logger } from '../logger.ts'
import { DecisionLog } from '../storage/decisionLog.ts'
import type { FileSystem } from '../storage/fileSystem.ts'
import type { DecisionRecord } from './consensusBook.ts'

export async function openDecisionRecord(
  fs: FileSystem,
  dataDir: string,
  deliverableId: string,
  logger: Logger,
): Promise<DecisionRecord> {
  const opened = await DecisionLog.open<DecisionEvent>(fs, dataDir, deliverableId)
  if (opened.repair)
    logger.warn({ deliverableId, repair: opened.repair }, 'decision log had a torn tail; cut off')
  const events = opened.events
  return {
    append: (event) => opened.log.append(event),
    readAll: async () => events,
  }
}
