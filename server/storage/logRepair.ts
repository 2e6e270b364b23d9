/**
 * What the repair command (server/tools/repairLog.ts) does to a record log the server refuses: find the first
 * damaged record exactly as the server does (a complete record failing its checksum, or one whose checksum
 * matches but whose content does not decode), copy the whole file aside, then cut the log there. Every valid
 * record before the damage is kept; the damaged record and everything after it are dropped, and survive only in
 * the copy.
 */
import { join } from 'node:path'
import { decodeDecisionEvent, EVENT_LOGS, type EventLogKind } from './decisionLog.ts'
import { documentDirectory, SNAPSHOT_FILE, updateLogGenerations, updateLogName } from './documentLayout.ts'
import { saveAside } from './durableFiles.ts'
import { writeError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'
import { DEFAULT_MAX_RECORD_BYTES, findValidRecordAfter, scanRecords } from './recordFormat.ts'
import { readSnapshot } from './snapshotFile.ts'
import { decodeStoredUpdate } from './updateRecord.ts'

export type LogKind = 'updates' | EventLogKind

export interface LogInspection {
  path: string
  size: number
  /** Valid records before the damage (every record when there is none). */
  keptRecords: number
  /** Where the log would be cut: the end of the last record kept. */
  keptBytes: number
  damage?: {
    offset: number
    reason: string
    /** Offsets of records after the damage whose checksums still match: the cut drops them too. */
    validRecordsAfter: number[]
  }
  /** An incomplete last record, which the server cuts (saving it aside) by itself when it opens the log. */
  tornTail?: { offset: number; bytes: number; reason: string }
}

const decoders: Record<LogKind, (payload: Uint8Array) => boolean> = {
  updates: (payload) => decodeStoredUpdate(payload) !== null,
  decisions: (payload) => decodeDecisionEvent(payload) !== null,
  annotations: (payload) => decodeDecisionEvent(payload) !== null,
}

/** Offsets of the valid records after `from`, resuming past every further bad stretch. */
function validRecordOffsetsAfter(bytes: Uint8Array, from: number, maxRecordBytes: number): number[] {
  const offsets: number[] = []
  let next = findValidRecordAfter(bytes, from, maxRecordBytes)
  while (next !== undefined) {
    const run = scanRecords(bytes.subarray(next), maxRecordBytes)
    offsets.push(...run.offsets.map((offset) => next! + offset))
    if (!run.stop) break
    next = findValidRecordAfter(bytes, next + run.stop.offset, maxRecordBytes)
  }
  return offsets
}

export function inspectLog(
  path: string,
  bytes: Uint8Array,
  kind: LogKind,
  maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
): LogInspection {
  const scan = scanRecords(bytes, maxRecordBytes)
  const size = bytes.byteLength
  const undecodable = scan.records.findIndex((record) => !decoders[kind](record))
  let bad: { index: number; offset: number; reason: string } | undefined
  if (undecodable >= 0) {
    const reason = `record ${undecodable} has a valid checksum but does not decode`
    bad = { index: undecodable, offset: scan.offsets[undecodable]!, reason }
  } else if (scan.stop && !scan.stop.torn) {
    bad = { index: scan.records.length, offset: scan.stop.offset, reason: scan.stop.reason }
  }
  if (bad) {
    const validRecordsAfter = validRecordOffsetsAfter(bytes, bad.offset, maxRecordBytes)
    const damage = { offset: bad.offset, reason: bad.reason, validRecordsAfter }
    return { path, size, keptRecords: bad.index, keptBytes: bad.offset, damage }
  }
  const inspection: LogInspection = {
    path,
    size,
    keptRecords: scan.records.length,
    keptBytes: scan.validLength,
  }
  if (scan.stop) {
    const { offset, reason } = scan.stop
    inspection.tornTail = { offset, bytes: size - offset, reason }
  }
  return inspection
}

/** Why the command cannot go on; its message is meant for the operator. */
export class RepairRefusedError extends Error {}

/**
 * The logs of a document the server reads: its update logs not covered by the snapshot, or its decision log.
 * A damaged snapshot is refused (this command repairs logs only) with the server's own StorageCorruptError.
 */
export async function logsToInspect(
  fs: FileSystem,
  dataDir: string,
  docId: string,
  kind: LogKind,
): Promise<string[]> {
  const docs = join(dataDir, 'docs')
  if (!(await fs.stat(docs))?.isDirectory)
    throw new RepairRefusedError(`${dataDir} is not an Accord data directory: it has no docs/ folder.`)
  let dir: string
  try {
    dir = documentDirectory(dataDir, docId)
  } catch (error) {
    throw new RepairRefusedError((error as Error).message)
  }
  if (!(await fs.stat(dir))?.isDirectory)
    throw new RepairRefusedError(`There is no document ${docId} in ${docs}.`)
  if (kind !== 'updates') {
    const path = join(dir, EVENT_LOGS[kind])
    if (!(await fs.stat(path)))
      throw new RepairRefusedError(`Document ${docId} has no ${kind.slice(0, -1)} log (${path}).`)
    return [path]
  }
  const covered = (await readSnapshot(fs, join(dir, SNAPSHOT_FILE)))?.generation ?? 0
  const generations = updateLogGenerations(await fs.readdir(dir)).filter((generation) => generation > covered)
  if (generations.length === 0) throw new RepairRefusedError(`Document ${docId} has no update log in ${dir}.`)
  return generations.map((generation) => join(dir, updateLogName(generation)))
}

/**
 * Copies the whole file aside (fsync'd, `<path>.damaged-<time>`), then cuts it to `keptBytes` and fsyncs it.
 * Refuses when the file no longer has the inspected size: something (a running server) is still writing it.
 */
export async function cutDamagedLog(
  fs: FileSystem,
  inspection: LogInspection,
  bytes: Uint8Array,
  now: number,
): Promise<string> {
  const { path, keptBytes } = inspection
  const savedTo = await saveAside(fs, path, bytes, now, 'damaged')
  if ((await fs.stat(path))?.size !== bytes.byteLength) {
    throw new RepairRefusedError(
      `${path} changed while it was being repaired: is the server still running on this data directory? ` +
        `Nothing was cut; a copy was saved to ${savedTo}.`,
    )
  }
  const handle = await fs.openAppend(path).catch((error) => Promise.reject(writeError(path, error)))
  try {
    await handle.truncate(keptBytes)
    await handle.sync()
  } catch (error) {
    throw writeError(path, error)
  } finally {
    await handle.close()
  }
  return savedTo
}
