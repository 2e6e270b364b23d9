/**
 * Rows that carry their own checksum. PostgreSQL guards its pages, but not against a bad restore, a hand-edited
 * row or a bug of ours: an update, event or snapshot that does not read back exactly as written is refused with
 * an error naming the table and key, never dropped or replaced (SYNC.md §5).
 */
import { StorageCorruptError, StorageWriteError } from '../errors.ts'
import { encodeRecord, scanRecords } from '../recordFormat.ts'

export const POSTGRES_REMEDY =
  'nothing was changed. Restore the row from a backup of the database, or, once you know what it held, ' +
  'delete it by hand (docs/STORAGE.md)'

/** Where a row is, for error messages: `postgres:document_updates(doc_id=d1, seq=3)`. */
export function rowName(table: string, key: Record<string, string | number>): string {
  const fields = Object.entries(key).map(([name, value]) => `${name}=${value}`)
  return `postgres:${table}(${fields.join(', ')})`
}

/** The bytes of a record row: the length-prefixed, CRC-32 record of the file logs. */
export const sealRecord = encodeRecord

/** The payload of a record row; throws StorageCorruptError unless the bytes are exactly one intact record. */
export function openRecord(bytes: Uint8Array, where: string): Uint8Array {
  const scan = scanRecords(bytes)
  if (scan.stop) throw new StorageCorruptError(where, scan.stop.offset, scan.stop.reason, POSTGRES_REMEDY)
  if (scan.records.length !== 1)
    throw new StorageCorruptError(where, 0, `${scan.records.length} records instead of one`, POSTGRES_REMEDY)
  return scan.records[0]!
}

/**
 * A failed query as a StorageWriteError: `code` is the driver's (ECONNREFUSED, ...) or PostgreSQL's SQLSTATE,
 * so the document writer can say why edits are refused.
 */
export function databaseWriteError(where: string, error: unknown): StorageWriteError {
  if (error instanceof StorageWriteError) return error
  return new StorageWriteError(where, error)
}

/** pg answers bigint columns as strings. */
export function toNumber(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value)
}
