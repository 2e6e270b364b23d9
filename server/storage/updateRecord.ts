/** The payload of one update-log record: who sent a Yjs update, when, and its bytes (lib0 encoding). */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export interface StoredUpdate {
  /** The authenticated user who sent it (authorship is per record, not per Yjs clientID). */
  userId: string
  /** Milliseconds since the epoch, when the server accepted it. */
  at: number
  update: Uint8Array
}

export function encodeStoredUpdate(stored: StoredUpdate): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, stored.userId)
  encoding.writeVarUint(encoder, stored.at)
  encoding.writeVarUint8Array(encoder, stored.update)
  return encoding.toUint8Array(encoder)
}

/** Returns null when the bytes are not exactly one encoded update. */
export function decodeStoredUpdate(bytes: Uint8Array): StoredUpdate | null {
  try {
    const decoder = decoding.createDecoder(bytes)
    const userId = decoding.readVarString(decoder)
    const at = decoding.readVarUint(decoder)
    const update = decoding.readVarUint8Array(decoder)
    return decoding.hasContent(decoder) ? null : { userId, at, update }
  } catch {
    return null
  }
}
