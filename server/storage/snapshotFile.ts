/**
 * `snapshot.bin`: a document's whole state as one Yjs update, with the last update-log generation it covers and
 * the owners of its Yjs client ids.
 *
 * Layout: the frame of framedFile.ts with magic `ACSN`. Payload, in lib0 encoding: varUint generation, varUint8Array update, then (from version 2) varUint
 * count and that many pairs of varUint client id, varString user id. The owners are in the payload so that the
 * checksum covers them: compaction deletes the logs they were rebuilt from. Every header field is checked exactly
 * (the length must match the file size), so a flipped byte anywhere is caught. Version 1 files still load, with
 * no owners.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { writeFileAtomically } from './durableFiles.ts'
import { readError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'
import { type FrameFormat, frame, unframe } from './framedFile.ts'

const SNAPSHOT: FrameFormat = { magic: 'ACSN', kind: 'snapshot' }
const WITHOUT_OWNERS = 1
const FORMAT_VERSION = 2

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
  return frame(SNAPSHOT, FORMAT_VERSION, encoding.toUint8Array(encoder))
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
  return unframe(SNAPSHOT, [WITHOUT_OWNERS, FORMAT_VERSION], bytes, path, decodePayload)
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
