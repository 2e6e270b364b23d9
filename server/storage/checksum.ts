/** CRC-32 (IEEE, as in zip and PNG) from zlib's native implementation (Node >= 20.15). */
import { crc32 as zlibCrc32 } from 'node:zlib'

/** Continues `previous` when given, so a checksum can cover several buffers without joining them. */
export function crc32(data: Uint8Array, previous = 0): number {
  // zlib.crc32 returns 0, dropping `previous`, for a view of a zero-length ArrayBuffer (an empty TextEncoder
  // result): the checksum of a record with an empty payload would then depend on how the payload was made.
  if (data.byteLength === 0) return previous >>> 0
  return zlibCrc32(data, previous) >>> 0
}
