/**
 * Presence (SYNC.md §4): `applyAwarenessUpdate` would accept any clientID, let a client erase others' presence
 * and parse unchecked JSON. So each connection owns the awareness clientIDs it introduced (a few at most: a tab
 * has one, a reconnecting tab briefly two), entries for others are dropped, a state larger than a caret and a
 * selection need is dropped, and the server writes the `user` field from the authenticated user. A flood of
 * fresh clientIDs from one connection therefore never becomes presence for everyone.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { type Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'

export interface PresenceUser {
  id: string
  name: string
  organization: string
  color: string
}

export class MalformedAwarenessError extends Error {}

/** Awareness clientIDs one connection may introduce. */
export const MAX_PRESENCE_PER_CONNECTION = 4
/** Bytes of one state's JSON: a caret and a selection as relative positions take a few hundred. */
export const MAX_PRESENCE_STATE_BYTES = 2048

interface Entry {
  clientId: number
  clock: number
  state: Record<string, unknown> | null
}

function decodeEntries(update: Uint8Array): Entry[] {
  try {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    if (count > 1000) throw new MalformedAwarenessError('too many awareness entries')
    const entries: Entry[] = []
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const json = decoding.readVarString(decoder)
      if (json.length > MAX_PRESENCE_STATE_BYTES) continue
      const state: unknown = JSON.parse(json)
      if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
        throw new MalformedAwarenessError('an awareness state must be an object or null')
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null })
    }
    return entries
  } catch (error) {
    if (error instanceof MalformedAwarenessError) throw error
    throw new MalformedAwarenessError(`undecodable awareness update: ${(error as Error).message}`)
  }
}

function encodeEntries(entries: Entry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

/**
 * The entries of `update` this connection may set, with `user` overwritten, as an awareness update (null when none
 * is left); `owned` gains the clientIDs it introduces. `isOwnedElsewhere` tells whether another connection already
 * introduced a clientID; `serverId` is the server's own awareness clientID, never the client's.
 */
export function ownPresence(
  update: Uint8Array,
  owned: Set<number>,
  isOwnedElsewhere: (clientId: number) => boolean,
  user: PresenceUser,
  serverId?: number,
): Uint8Array | null {
  const accepted: Entry[] = []
  for (const entry of decodeEntries(update)) {
    if (entry.clientId === serverId) continue
    if (!owned.has(entry.clientId)) {
      // Checked in this order so that a flood costs one comparison per entry past the limit.
      if (owned.size >= MAX_PRESENCE_PER_CONNECTION || isOwnedElsewhere(entry.clientId)) continue
      owned.add(entry.clientId)
    }
    accepted.push({ ...entry, state: entry.state === null ? null : { ...entry.state, user: { ...user } } })
  }
  return accepted.length === 0 ? null : encodeEntries(accepted)
}

/** Applies the entries this connection may set (ownPresence) to the document's awareness. */
export function applyOwnPresence(
  awareness: Awareness,
  update: Uint8Array,
  owned: Set<number>,
  isOwnedElsewhere: (clientId: number) => boolean,
  user: PresenceUser,
  origin: unknown,
): void {
  const accepted = ownPresence(update, owned, isOwnedElsewhere, user, awareness.clientID)
  if (accepted) applyAwarenessUpdate(awareness, accepted, origin)
}

export function removePresence(awareness: Awareness, owned: Set<number>, origin: unknown): void {
  if (owned.size > 0) removeAwarenessStates(awareness, [...owned], origin)
}
