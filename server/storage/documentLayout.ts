/**
 * Where a document's files live: `<dataDir>/docs/<docId>/` holding `snapshot.bin` and `updates-<generation>.log`.
 *
 * Update logs are numbered so that compaction never has to replace a log in place: it starts the next
 * generation, writes a snapshot naming the last generation it covers, then deletes the covered logs. Every crash
 * point leaves a snapshot plus logs that together hold everything.
 */
import { join } from 'node:path'
import { isWellFormedId } from '../../shared/domain/ids.ts'

export const SNAPSHOT_FILE = 'snapshot.bin'
const LOG_NAME = /^updates-(\d+)\.log$/

export function docsDirectory(dataDir: string): string {
  return join(dataDir, 'docs')
}

/** Throws on an id that could escape the data directory (only letters, digits, '-' and '_' pass). */
export function documentDirectory(dataDir: string, docId: string): string {
  if (!isWellFormedId(docId)) throw new RangeError(`Not a valid document id: ${JSON.stringify(docId)}`)
  return join(docsDirectory(dataDir), docId)
}

export function updateLogName(generation: number): string {
  return `updates-${generation}.log`
}

/** The generations of the update logs among `names`, ascending. */
export function updateLogGenerations(names: string[]): number[] {
  const generations: number[] = []
  for (const name of names) {
    const match = LOG_NAME.exec(name)
    if (match) generations.push(Number(match[1]))
  }
  return generations.sort((a, b) => a - b)
}

/** Files whose size counts as the document's: the snapshot and the update logs (not saved torn tails). */
export function isDocumentDataFile(name: string): boolean {
  return name === SNAPSHOT_FILE || LOG_NAME.test(name)
}

/** Quotes a command-line argument for a POSIX shell when it needs it. */
function shellArgument(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

/**
 * The operator command (server/tools/repairLog.ts) for a document's update logs, or one of its event logs
 * (`decisions`, `annotations`), without its --dry-run or --yes: quoted in the error that refuses the document, so
 * that it can be copied.
 */
export function repairCommandFor(
  dataDir: string,
  docId: string,
  eventLog?: 'decisions' | 'annotations',
): string {
  const args = ['--data-dir', shellArgument(dataDir), '--document', shellArgument(docId)]
  if (eventLog) args.push(`--${eventLog}`)
  return `npm run repair -- ${args.join(' ')}`
}
