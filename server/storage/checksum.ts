/** CRC-32 (IEEE, as in zip and PNG) from zlib's native implementation (Node >= 20.15). */
import { crc32 as zlibCrc32 } from 'node:zlib'

/** Continues `previous` when given, so a checksum can cover several buffers without joining them. */
export function crc32(data: Uint8Array, previous = 0): number {
  return zlibCrc32(data, previous) >>> 0
}
