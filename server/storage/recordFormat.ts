/**
 * The bytes of one log record: 4-byte big-endian payload length, 4-byte big-endian CRC-32, payload.
 *
 * The checksum covers the length prefix as well as the payload. A crash can leave a block of zeros at the end
 * of a file (size updated, data not written); with a checksum of the payload alone, eight zero bytes would be a
 * valid empty record (CRC-32 of nothing is 0) and a torn tail would read as a run of empty records.
 *
 * Where reading stops, the bytes are either a torn tail or damage (SYNC.md §5). An interrupted append leaves a
 * prefix of what it wrote, or zeros where the file grew before its data reached the disk, and only unacknowledged
 * records are ever appended after the durable ones. So only an incomplete last record is torn: a header cut
 * short, a length prefix running past the end of the file, or nothing but zeros to the end. A record that is
 * complete and fails its checksum was written whole and then damaged, wherever it is in the file.
 */
import { crc32 } from './checksum.ts'

export const RECORD_HEADER_BYTES = 8
/** A length prefix above this is damage, not a record: no caller writes anything near it. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024

function lengthPrefix(payloadLength: number): Uint8Array {
  const prefix = new Uint8Array(4)
  new DataView(prefix.buffer).setUint32(0, payloadLength)
  return prefix
}

export function encodeRecord(payload: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER_BYTES + payload.byteLength)
  const view = new DataView(record.buffer)
  view.setUint32(0, payload.byteLength)
  record.set(payload, RECORD_HEADER_BYTES)
  view.setUint32(4, crc32(payload, crc32(record.subarray(0, 4))))
  return record
}

export interface ScanStop {
  offset: number
  reason: string
  /**
   * True when the bytes from `offset` on are an incomplete last record, which only an interrupted append leaves:
   * cutting them loses nothing that was acknowledged. False for damage, which must never be cut silently.
   */
  torn: boolean
}

export interface ScanResult {
  records: Uint8Array[]
  /** Offsets of the records, for error messages. */
  offsets: number[]
  /** Length of the prefix made of whole, valid records. */
  validLength: number
  /** Why reading stopped before the end of the bytes; absent when every byte belongs to a valid record. */
  stop?: ScanStop
}

type RecordFailure = 'incomplete header' | 'too long' | 'past the end' | 'checksum'
type RecordCheck = { ok: true; payloadLength: number } | { ok: false; failure: RecordFailure; reason: string }

function checkRecordAt(bytes: Uint8Array, offset: number, maxRecordBytes: number): RecordCheck {
  const remaining = bytes.byteLength - offset
  if (remaining < RECORD_HEADER_BYTES)
    return { ok: false, failure: 'incomplete header', reason: 'incomplete record header' }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, RECORD_HEADER_BYTES)
  const payloadLength = view.getUint32(0)
  if (payloadLength > maxRecordBytes) {
    const reason = `length prefix ${payloadLength} exceeds the maximum of ${maxRecordBytes}`
    return { ok: false, failure: 'too long', reason }
  }
  if (payloadLength > remaining - RECORD_HEADER_BYTES)
    return { ok: false, failure: 'past the end', reason: 'incomplete record' }
  const start = offset + RECORD_HEADER_BYTES
  const actual = crc32(
    bytes.subarray(start, start + payloadLength),
    crc32(bytes.subarray(offset, offset + 4)),
  )
  if (actual !== view.getUint32(4)) return { ok: false, failure: 'checksum', reason: 'checksum mismatch' }
  return { ok: true, payloadLength }
}

/**
 * True when the record at `offset`, read as running to the end of the file, matches its checksum: a whole last
 * record whose length prefix was damaged (to a length past the end), which must not pass for a torn one.
 */
function isWholeRecordWithDamagedLength(bytes: Uint8Array, offset: number): boolean {
  const start = offset + RECORD_HEADER_BYTES
  const stored = new DataView(bytes.buffer, bytes.byteOffset + offset + 4, 4).getUint32(0)
  return crc32(bytes.subarray(start), crc32(lengthPrefix(bytes.byteLength - start))) === stored
}

function isAllZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false
  return true
}

/** Tells a torn tail from damage at `offset`, where the record check failed. */
function classifyStop(
  bytes: Uint8Array,
  offset: number,
  check: { failure: RecordFailure; reason: string },
  maxRecordBytes: number,
): ScanStop {
  const tail = bytes.byteLength - offset
  if (isAllZero(bytes.subarray(offset)))
    return { offset, torn: true, reason: `zero-filled tail of ${tail} bytes` }
  switch (check.failure) {
    case 'incomplete header':
      return { offset, torn: true, reason: check.reason }
    case 'past the end': {
      if (isWholeRecordWithDamagedLength(bytes, offset)) {
        const reason =
          'damaged length prefix (it runs past the end of the file, yet the rest matches the checksum)'
        return { offset, torn: false, reason }
      }
      const next = findValidRecordAfter(bytes, offset, maxRecordBytes)
      if (next === undefined) return { offset, torn: true, reason: check.reason }
      return { offset, torn: false, reason: `${check.reason}, and a valid record follows at byte ${next}` }
    }
    // An append never writes a length above the maximum, and a record that fits in the file was written whole.
    case 'too long':
    case 'checksum':
      return { offset, torn: false, reason: check.reason }
  }
}

/** Reads records from the start; payloads are views into `bytes`. */
export function scanRecords(bytes: Uint8Array, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES): ScanResult {
  const records: Uint8Array[] = []
  const offsets: number[] = []
  let offset = 0
  while (offset < bytes.byteLength) {
    const check = checkRecordAt(bytes, offset, maxRecordBytes)
    if (!check.ok) {
      const stop = classifyStop(bytes, offset, check, maxRecordBytes)
      return { records, offsets, validLength: offset, stop }
    }
    const start = offset + RECORD_HEADER_BYTES
    records.push(bytes.subarray(start, start + check.payloadLength))
    offsets.push(offset)
    offset = start + check.payloadLength
  }
  return { records, offsets, validLength: offset }
}

/**
 * Returns the offset of the first valid record starting after `from`, or undefined. Every offset is tried, since
 * the bad record's own length prefix cannot be trusted.
 */
export function findValidRecordAfter(
  bytes: Uint8Array,
  from: number,
  maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
): number | undefined {
  for (let offset = from + 1; offset + RECORD_HEADER_BYTES <= bytes.byteLength; offset++) {
    if (checkRecordAt(bytes, offset, maxRecordBytes).ok) return offset
  }
  return undefined
}
