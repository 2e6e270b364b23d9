/**
 * The frame of Accord's whole-file formats (`snapshot.bin`, named versions): magic (4 bytes), format version
 * (u32), payload length (u32), CRC-32 of the payload (u32), payload; big-endian. Every header field is checked
 * exactly (the length must match the file size), so a flipped byte anywhere is caught and the file refused.
 */
import { crc32 } from './checksum.ts'
import { StorageCorruptError } from './errors.ts'

const HEADER_BYTES = 16

export interface FrameFormat {
  /** Four ASCII letters naming the kind of file. */
  magic: string
  /** What the file is, in words, for error messages ("snapshot", "version"). */
  kind: string
}

const magicBytes = (format: FrameFormat) => [...format.magic].map((c) => c.charCodeAt(0))

export function frame(format: FrameFormat, version: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + payload.byteLength)
  const view = new DataView(bytes.buffer)
  bytes.set(magicBytes(format), 0)
  view.setUint32(4, version)
  view.setUint32(8, payload.byteLength)
  view.setUint32(12, crc32(payload))
  bytes.set(payload, HEADER_BYTES)
  return bytes
}

/**
 * The payload and format version of an intact frame; StorageCorruptError naming `path` otherwise. `decode` reads
 * the payload: whatever it throws means the checksum matched but the content is not what the frame says.
 */
export function unframe<T>(
  format: FrameFormat,
  versions: readonly number[],
  bytes: Uint8Array,
  path: string,
  decode: (payload: Uint8Array, version: number) => T,
): T {
  const corrupt = (offset: number, reason: string) => new StorageCorruptError(path, offset, reason)
  if (bytes.byteLength < HEADER_BYTES)
    throw corrupt(0, `only ${bytes.byteLength} bytes, shorter than a header`)
  if (magicBytes(format).some((byte, i) => bytes[i] !== byte))
    throw corrupt(0, `not a ${format.kind} file (wrong magic bytes)`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const version = view.getUint32(4)
  if (!versions.includes(version)) throw corrupt(4, `unknown ${format.kind} format version ${version}`)
  const length = view.getUint32(8)
  if (length !== bytes.byteLength - HEADER_BYTES)
    throw corrupt(8, `header says ${length} payload bytes, the file holds ${bytes.byteLength - HEADER_BYTES}`)
  const payload = bytes.subarray(HEADER_BYTES)
  if (crc32(payload) !== view.getUint32(12)) throw corrupt(HEADER_BYTES, 'checksum mismatch')
  try {
    return decode(payload, version)
  } catch (error) {
    if (error instanceof StorageCorruptError) throw error
    throw corrupt(HEADER_BYTES, 'the checksum matches but the payload does not decode')
  }
}
