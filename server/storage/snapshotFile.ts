/**
 * `snapshot.bin`: a document's whole state as one Yjs update, with the last update-log generation it covers and
 * the owners of its Yjs client ids.
 *
 * Layout: magic `ACSN`, format version (u32), payload length (u32), CRC-32 of the payload (u32), payload; all
 * big-endian. Payload, in lib0 encoding: varUint generation, varUint8Array update, then (from version 2) varUint
 * count and that many pairs of varUint client id, varString user id. The owners are in the payload so that the
 * checksum covers them: compaction deletes the logs they were rebuilt from. Every header field is checked exactly
 * (the length must match the file size), so a flipped byte anywhere is caught. Version 1 files still load, with
 * no owners.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { crc32 } from './checksum.ts'
import { writeFileAtomically } from './durableFiles.ts'
import { readError, StorageCorruptError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'

const MAGIC = [0x41, 0x43, 0x53, 0x4e] // 'ACSN'
const WITHOUT_OWNERS = 1
const FORMAT_VERSION = 2
const HEADER_BYTES = 16

export interface Snapshot {
  /** Every update-log generation up to and including this one is contained in `update`. */
  generation: number
  update: Uint8Array
  /** Yjs client id → id of the user whose edits carry it. */
  clientOwners: ReadonlyMap<number, string>
}

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, snapshot.generation)
  encoding.writeVarUint8Array(encoder, snapshot.update)
  encoding.writeVarUint(encoder, snapshot.clientOwners.size)
  for (const [clientId, userId] of snapshot.clientOwners) {
    // Yjs client ids are unsigned 32-bit integers; anything else would not read back as written.
    if (!Number.isInteger(clientId) || clientId < 0 || clientId > 0xffffffff)
      throw new RangeError(`Not a Yjs client id: ${clientId}`)
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarString(encoder, userId)
  }
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

function decodePayload(payload: Uint8Array, version: number): Snapshot {
  const decoder = decoding.createDecoder(payload)
  const generation = decoding.readVarUint(decoder)
  const update = decoding.readVarUint8Array(decoder)
  const clientOwners = new Map<number, string>()
  if (version !== WITHOUT_OWNERS) {
    const count = decoding.readVarUint(decoder)
    for (let n = 0; n < count; n++) {
      const clientId = decoding.readVarUint(decoder)
      clientOwners.set(clientId, decoding.readVarString(decoder))
    }
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return { generation, update, clientOwners }
}

/** Throws StorageCorruptError naming `path` when the bytes are not a whole, intact snapshot. */
export function decodeSnapshot(bytes: Uint8Array, path: string): Snapshot {
  const corrupt = (offset: number, reason: string) => new StorageCorruptError(path, offset, reason)
  if (bytes.byteLength < HEADER_BYTES)
    throw corrupt(0, `only ${bytes.byteLength} bytes, shorter than a header`)
  if (MAGIC.some((byte, i) => bytes[i] !== byte)) throw corrupt(0, 'not a snapshot file (wrong magic bytes)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const version = view.getUint32(4)
  if (version !== FORMAT_VERSION && version !== WITHOUT_OWNERS)
    throw corrupt(4, `unknown snapshot format version ${version}`)
  const length = view.getUint32(8)
  if (length !== bytes.byteLength - HEADER_BYTES) {
    throw corrupt(8, `header says ${length} payload bytes, the file holds ${bytes.byteLength - HEADER_BYTES}`)
  }
  const payload = bytes.subarray(HEADER_BYTES)
  if (crc32(payload) !== view.getUint32(12)) throw corrupt(HEADER_BYTES, 'checksum mismatch')
  try {
    return decodePayload(payload, version)
  } catch {
    throw corrupt(HEADER_BYTES, 'the checksum matches but the payload does not decode')
  }
}

/** Returns null when there is no snapshot at `path`. */
export async function readSnapshot(fs: FileSystem, path: string): Promise<Snapshot | null> {
  let bytes: Uint8Array
  try {
    if ((await fs.stat(path)) === null) return null
    bytes = await fs.readFile(path)
  } catch (error) {
    throw readError(path, error)
  }
  return decodeSnapshot(bytes, path)
}

export function writeSnapshot(fs: FileSystem, path: string, snapshot: Snapshot): Promise<void> {
  return writeFileAtomically(fs, path, encodeSnapshot(snapshot))
}
