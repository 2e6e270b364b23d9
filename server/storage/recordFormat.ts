/**
 * The bytes of one log record: 4-byte big-endian payload length, 4-byte big-endian CRC-32, payload.
 *
 * The checksum covers the length prefix as well as the payload. A crash can leave a block of zeros at the end
 * of a file (size updated, data not written); with a checksum of the payload alone, eight zero bytes would be a
 * valid empty record (CRC-32 of nothing is 0) and a torn tail would read as a run of empty records.
 */
import { crc32 } from './checksum.ts'

export const RECORD_HEADER_BYTES = 8
/** A length prefix above this is damage, not a record: no caller writes anything near it. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024

export function encodeRecord(payload: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER_BYTES + payload.byteLength)
  const view = new DataView(record.buffer)
  view.setUint32(0, payload.byteLength)
  record.set(payload, RECORD_HEADER_BYTES)
  view.setUint32(4, crc32(payload, crc32(record.subarray(0, 4))))
  return record
}

export interface ScanResult {
  records: Uint8Array[]
  /** Offsets of the records, for error messages. */
  offsets: number[]
  /** Length of the prefix made of whole, valid records. */
  validLength: number
  /** Why reading stopped before the end of the bytes; absent when every byte belongs to a valid record. */
  stop?: { offset: number; reason: string }
}

type RecordCheck = { ok: true; payloadLength: number } | { ok: false; reason: string }

function checkRecordAt(bytes: Uint8Array, offset: number, maxRecordBytes: number): RecordCheck {
  const remaining = bytes.byteLength - offset
  if (remaining < RECORD_HEADER_BYTES) return { ok: false, reason: 'incomplete record header' }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, RECORD_HEADER_BYTES)
  const payloadLength = view.getUint32(0)
  if (payloadLength > maxRecordBytes) {
    return { ok: false, reason: `length prefix ${payloadLength} exceeds the maximum of ${maxRecordBytes}` }
  }
  if (payloadLength > remaining - RECORD_HEADER_BYTES) return { ok: false, reason: 'incomplete record' }
  const start = offset + RECORD_HEADER_BYTES
  const actual = crc32(
    bytes.subarray(start, start + payloadLength),
    crc32(bytes.subarray(offset, offset + 4)),
  )
  if (actual !== view.getUint32(4)) return { ok: false, reason: 'checksum mismatch' }
  return { ok: true, payloadLength }
}

/** Reads records from the start; payloads are views into `bytes`. */
export function scanRecords(bytes: Uint8Array, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES): ScanResult {
  const records: Uint8Array[] = []
  const offsets: number[] = []
  let offset = 0
  while (offset < bytes.byteLength) {
    const check = checkRecordAt(bytes, offset, maxRecordBytes)
    if (!check.ok) return { records, offsets, validLength: offset, stop: { offset, reason: check.reason } }
    const start = offset + RECORD_HEADER_BYTES
    records.push(bytes.subarray(start, start + check.payloadLength))
    offsets.push(offset)
    offset = start + check.payloadLength
  }
  return { records, offsets, validLength: offset }
}

/**
 * Returns the offset of the first valid record starting after `from`, or undefined. A bad record with a valid
 * one after it is damage in the middle of the file; a torn write leaves nothing valid behind it. Every offset is
 * tried, since the bad record's own length prefix cannot be trusted.
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
