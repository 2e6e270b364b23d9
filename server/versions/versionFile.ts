/**
 * `versions/<versionId>.version` in a deliverable's data folder: one named version, whole in one file. It holds
 * the complete document state as one Yjs update (`Y.encodeStateAsUpdate` of the live document: no snapshot with
 * garbage collection off is needed, since the update alone rebuilds the text), the clause tree with numbers and
 * hashes, and each clause's consensus state at that moment.
 *
 * Layout as `snapshot.bin` (storage/snapshotFile.ts): magic `ACVR`, format version (u32), payload length (u32),
 * CRC-32 of the payload (u32), payload; big-endian. Payload, in lib0 encoding: varString JSON of the record
 * without the update, then varUint8Array update. Every header field is checked exactly, so a flipped byte
 * anywhere is caught and the file refused, never rewritten.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { ApiVersionDetail } from '../../shared/api/versions.ts'
import { crc32 } from '../storage/checksum.ts'
import { StorageCorruptError } from '../storage/errors.ts'

const MAGIC = [0x41, 0x43, 0x56, 0x52] // 'ACVR'
const FORMAT_VERSION = 1
const HEADER_BYTES = 16

export interface StoredVersion extends ApiVersionDetail {
  /** Saving order within the deliverable, 1 first: timestamps alone may tie. */
  seq: number
  /** The whole document as one Yjs update. */
  update: Uint8Array
}

export function encodeVersion(version: StoredVersion): Uint8Array {
  const { update, ...record } = version
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, JSON.stringify(record))
  encoding.writeVarUint8Array(encoder, update)
  const payload = encoding.toUint8Array(encoder)
  const bytes = new Uint8Array(HEADER_BYTES + payload.byteLength)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  view.setUint32(4, FORMAT_VERSION)
  view.setUint32(8, payload.byteLength)
  view.setUint32(12, crc32(payload))
  bytes.set(payload, HEADER_BYTES)
  return bytes
}

function isRecord(value: unknown): value is Omit<StoredVersion, 'update'> {
  const record = value as Partial<StoredVersion> | null
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    typeof record.name === 'string' &&
    typeof record.createdAt === 'string' &&
    typeof record.seq === 'number' &&
    Array.isArray(record.clauses)
  )
}

/** Throws StorageCorruptError naming `path` when the bytes are not a whole, intact version of `versionId`. */
export function decodeVersion(bytes: Uint8Array, path: string, versionId: string): StoredVersion {
  const corrupt = (offset: number, reason: string) => new StorageCorruptError(path, offset, reason)
  if (bytes.byteLength < HEADER_BYTES)
    throw corrupt(0, `only ${bytes.byteLength} bytes, shorter than a header`)
  if (MAGIC.some((byte, i) => bytes[i] !== byte)) throw corrupt(0, 'not a version file (wrong magic bytes)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const format = view.getUint32(4)
  if (format !== FORMAT_VERSION) throw corrupt(4, `unknown version file format ${format}`)
  const length = view.getUint32(8)
  if (length !== bytes.byteLength - HEADER_BYTES)
    throw corrupt(8, `header says ${length} payload bytes, the file holds ${bytes.byteLength - HEADER_BYTES}`)
  const payload = bytes.subarray(HEADER_BYTES)
  if (crc32(payload) !== view.getUint32(12)) throw corrupt(HEADER_BYTES, 'checksum mismatch')
  let record: unknown
  let update: Uint8Array
  try {
    const decoder = decoding.createDecoder(payload)
    record = JSON.parse(decoding.readVarString(decoder))
    update = decoding.readVarUint8Array(decoder)
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  } catch {
    throw corrupt(HEADER_BYTES, 'the checksum matches but the payload does not decode')
  }
  if (!isRecord(record) || record.id !== versionId)
    throw corrupt(HEADER_BYTES, 'the payload is not the version its name says')
  return { ...record, update }
}
