/**
 * `versions/<versionId>.version` in a deliverable's data folder: one named version, whole in one file. It holds
 * the complete document state as one Yjs update (`Y.encodeStateAsUpdate` of the live document: no snapshot with
 * garbage collection off is needed, since the update alone rebuilds the text), the clause tree with numbers and
 * hashes, and each clause's consensus state at that moment.
 *
 * Layout: the frame of storage/framedFile.ts with magic `ACVR`. Payload, in lib0 encoding: varString JSON of the record
 * without the update, then varUint8Array update. Every header field is checked exactly, so a flipped byte
 * anywhere is caught and the file refused, never rewritten.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { ApiVersionDetail } from '../../shared/api/versions.ts'
import { StorageCorruptError } from '../storage/errors.ts'
import { type FrameFormat, frame, unframe } from '../storage/framedFile.ts'

const VERSION_FILE: FrameFormat = { magic: 'ACVR', kind: 'version' }
const FORMAT_VERSION = 1

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
  return frame(VERSION_FILE, FORMAT_VERSION, encoding.toUint8Array(encoder))
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
  return unframe(VERSION_FILE, [FORMAT_VERSION], bytes, path, (payload) => {
    const decoder = decoding.createDecoder(payload)
    const record: unknown = JSON.parse(decoding.readVarString(decoder))
    const update = decoding.readVarUint8Array(decoder)
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
    if (!isRecord(record) || record.id !== versionId)
      throw new StorageCorruptError(path, 16, 'the payload is not the version its name says')
    return { ...record, update }
  })
}
