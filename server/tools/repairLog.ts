/**
 * `npm run repair -- --data-dir DIR --document ID [--decisions | --annotations] (--dry-run | --yes)`
 *
 * Repairs a record log that the server refuses because a complete record in it is damaged (SYNC.md §5,
 * docs/OPERATIONS.md): the document's update logs, or with `--decisions` its decision log, with `--annotations` its
 * annotation log. The whole file is first copied aside (fsync'd, `<log>.damaged-<time>`), then the log is cut at
 * the first damaged record. The server must not be running on DIR.
 *
 * Exit status: 0 when it repaired (or, with --dry-run, found) damage; 1 when there is nothing to repair or it
 * cannot (wrong data directory or document, damaged snapshot, I/O error); 2 for a usage error.
 */
import { parseArgs } from 'node:util'
import { readError, StorageError } from '../storage/errors.ts'
import { nodeFileSystem } from '../storage/fileSystem.ts'
import {
  cutDamagedLog,
  inspectLog,
  type LogInspection,
  type LogKind,
  logsToInspect,
  RepairRefusedError,
} from '../storage/logRepair.ts'

const USAGE = `Usage: npm run repair -- --data-dir DIR --document ID [--decisions | --annotations] (--dry-run | --yes)

  --data-dir DIR   the server's DATA_DIR (the server must be stopped)
  --document ID    the document (deliverable) id named in the server's error
  --decisions      repair the deliverable's decision log instead of its update logs
  --annotations    repair the deliverable's annotation log (comments, suggestions) instead
  --dry-run        show what would be kept and dropped; change nothing
  --yes            copy each damaged log aside, then cut it at its first damaged record`

const fs = nodeFileSystem
const print = (line = '') => process.stdout.write(`${line}\n`)
const fail = (message: string, status: number) => {
  process.stderr.write(`${message}\n`)
  return status
}

const records = (count: number) => `${count} record${count === 1 ? '' : 's'}`

function listOffsets(offsets: number[]): string {
  const shown = offsets.slice(0, 8).join(', ')
  return offsets.length > 8 ? `${shown}, ... (${offsets.length} in all)` : shown
}

function describe(inspection: LogInspection): void {
  const { path, size, keptRecords, keptBytes, damage, tornTail } = inspection
  print(`${path}: ${size} bytes`)
  if (!damage) {
    print(`  no damaged record: ${records(keptRecords)}, all valid`)
    if (tornTail) {
      const { offset, bytes, reason } = tornTail
      print(`  torn tail at byte ${offset} (${bytes} bytes, ${reason}): an interrupted append, never`)
      print('  acknowledged; the server cuts it itself (saving it aside) when it opens the log')
    }
    return
  }
  const dropped = size - keptBytes
  print(`  damaged record at byte ${damage.offset}: ${damage.reason}`)
  print(`  keep: ${records(keptRecords)}, bytes 0 to ${keptBytes}`)
  print(`  drop: bytes ${keptBytes} to ${size} (${dropped} bytes): the damaged record and all after it,`)
  const later = damage.validRecordsAfter
  if (later.length === 0) print('        in which no later record has a matching checksum')
  else
    print(`        including ${records(later.length)} whose checksums match, at bytes ${listOffsets(later)}`)
}

async function main(argv: string[]): Promise<number> {
  let values: {
    'data-dir'?: string
    document?: string
    decisions?: boolean
    annotations?: boolean
    'dry-run'?: boolean
    yes?: boolean
  }
  try {
    values = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        document: { type: 'string' },
        decisions: { type: 'boolean' },
        annotations: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean' },
      },
      strict: true,
    }).values
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2)
  }
  const dataDir = values['data-dir']
  const docId = values.document
  if (!dataDir || !docId) return fail(`--data-dir and --document are required.\n\n${USAGE}`, 2)
  const dryRun = values['dry-run'] === true
  if (dryRun && values.yes) return fail(`Give --dry-run or --yes, not both.\n\n${USAGE}`, 2)
  if (!dryRun && !values.yes) {
    return fail(`Refusing to change anything without --yes; look first with --dry-run.\n\n${USAGE}`, 2)
  }
  if (values.decisions && values.annotations)
    return fail(`Give --decisions or --annotations, not both.\n\n${USAGE}`, 2)
  const kind: LogKind = values.decisions ? 'decisions' : values.annotations ? 'annotations' : 'updates'
  const what = kind === 'updates' ? 'update logs' : `${kind.slice(0, -1)} log`

  const damaged: { inspection: LogInspection; bytes: Uint8Array }[] = []
  for (const path of await logsToInspect(fs, dataDir, docId, kind)) {
    const bytes = await fs.readFile(path).catch((error) => Promise.reject(readError(path, error)))
    const inspection = inspectLog(path, bytes, kind)
    describe(inspection)
    if (inspection.damage) damaged.push({ inspection, bytes })
  }
  if (damaged.length === 0) return fail(`Nothing to repair: no damaged record in the ${what} of ${docId}.`, 1)
  if (dryRun) {
    print('Dry run: nothing was changed. Run again with --yes instead of --dry-run to repair.')
    return 0
  }
  for (const { inspection, bytes } of damaged) {
    const savedTo = await cutDamagedLog(fs, inspection, bytes, Date.now())
    print(`${inspection.path}: saved a copy of all ${bytes.byteLength} bytes to ${savedTo}`)
    print(`${inspection.path}: cut to ${inspection.keptBytes} bytes (${records(inspection.keptRecords)})`)
  }
  print(`Repaired ${damaged.length} log(s) of ${docId}. The server can be started again.`)
  return 0
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  // An operating system error (EACCES, EIO) says enough by its message; anything else is a bug: show where.
  const known =
    error instanceof RepairRefusedError || error instanceof StorageError || 'code' in Object(error)
  process.exitCode = fail(known ? (error as Error).message : `Repair failed: ${(error as Error).stack}`, 1)
}
