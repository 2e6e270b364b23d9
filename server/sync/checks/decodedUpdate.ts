/**
 * A client's update decoded once (`Y.decodeUpdate`, never applied), indexed so that the checks can resolve an id
 * either in the stored document or earlier in the same update; and normalized against the server's state, so
 * that the checks see what Yjs will do with it, not what it declares (SYNC.md §2, step 2).
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** Yjs does not export the DeleteSet type; this is its shape. */
export interface DeleteSet {
  clients: Map<number, { clock: number; len: number }[]>
}

export type Struct = Y.Item | Y.GC | Y.Skip

export interface DecodedUpdate {
  bytes: Uint8Array
  structs: Struct[]
  deleteSet: DeleteSet
  /** client → its structs in this update, in clock order. */
  byClient: Map<number, Struct[]>
  /** True for `[0, 0]` and other updates with nothing in them. */
  empty: boolean
  /** Highest clock (exclusive) per client this update writes. */
  clocks: Map<number, number>
}

export class UndecodableUpdateError extends Error {}

/** Decodes; throws UndecodableUpdateError on anything Yjs cannot read. */
export function decodeClientUpdate(bytes: Uint8Array): DecodedUpdate {
  let decoded: { structs: Struct[]; ds: DeleteSet }
  try {
    decoded = Y.decodeUpdate(bytes) as unknown as { structs: Struct[]; ds: DeleteSet }
  } catch (error) {
    throw new UndecodableUpdateError((error as Error).message)
  }
  return indexed(bytes, decoded.structs, decoded.ds)
}

function indexed(bytes: Uint8Array, structs: Struct[], deleteSet: DeleteSet): DecodedUpdate {
  const byClient = new Map<number, Struct[]>()
  const clocks = new Map<number, number>()
  for (const struct of structs) {
    const client = struct.id.client
    const list = byClient.get(client) ?? []
    if (list.length === 0) byClient.set(client, list)
    list.push(struct)
    clocks.set(client, Math.max(clocks.get(client) ?? 0, struct.id.clock + struct.length))
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  let deletes = 0
  for (const ranges of deleteSet.clients.values()) deletes += ranges.length
  return { bytes, structs, deleteSet, byClient, empty: structs.length === 0 && deletes === 0, clocks }
}

/**
 * What of `bytes` would change `doc`: `Y.diffUpdate` drops the structs the server holds and slices one that
 * overlaps them exactly as `Item.integrate` will (its origin becomes the same client's previous clock), and
 * delete-set ranges over content that is already deleted (or collected) are dropped. An update that was
 * entirely known comes back `empty`. Throws UndecodableUpdateError on anything Yjs cannot read.
 */
export function normalizeUpdate(doc: Y.Doc, bytes: Uint8Array): DecodedUpdate {
  let diffed: Uint8Array
  try {
    diffed = Y.diffUpdate(bytes, Y.encodeStateVector(doc))
  } catch (error) {
    throw new UndecodableUpdateError((error as Error).message)
  }
  const decoded = decodeClientUpdate(diffed)
  const { deleteSet, changed } = liveDeletions(doc, decoded)
  // Yjs applies only the last group of a client that appears in several (`readClientsStructRefs`): what it
  // applies must be what was checked, so such an update is re-encoded from the checked structs.
  if (!changed && !splitsAClient(decoded.structs)) return decoded
  return indexed(encodeUpdate(decoded.byClient, deleteSet), decoded.structs, deleteSet)
}

/** True when some client's structs come in more than one group. */
function splitsAClient(structs: Struct[]): boolean {
  const done = new Set<number>()
  let current: number | null = null
  for (const struct of structs) {
    const client = struct.id.client
    if (client === current) continue
    if (done.has(client)) return true
    if (current !== null) done.add(current)
    current = client
  }
  return false
}

/** The parts of the update's delete set that hit content not yet deleted (or content of the update itself). */
function liveDeletions(doc: Y.Doc, update: DecodedUpdate): { deleteSet: DeleteSet; changed: boolean } {
  const clients = new Map<number, { clock: number; len: number }[]>()
  let changed = false
  for (const [client, ranges] of update.deleteSet.clients) {
    const kept: { clock: number; len: number }[] = []
    const keep = (clock: number, end: number) => {
      const last = kept[kept.length - 1]
      if (last && last.clock + last.len === clock) last.len += end - clock
      else kept.push({ clock, len: end - clock })
    }
    const stored = doc.store.clients.get(client)
    const state = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) {
      const end = clock + len
      if (stored && clock < state) {
        let index = Y.findIndexSS(stored, clock)
        for (; index < stored.length && stored[index]!.id.clock < end; index++) {
          const struct = stored[index]!
          if (struct instanceof Y.Item && !struct.deleted)
            keep(Math.max(clock, struct.id.clock), Math.min(end, struct.id.clock + struct.length))
        }
      }
      // Beyond the stored state: content of this update (or unknown, which the causality check refuses).
      if (end > state) keep(Math.max(clock, state), end)
    }
    const before = ranges.reduce((sum, r) => sum + r.len, 0)
    const after = kept.reduce((sum, r) => sum + r.len, 0)
    if (after !== before) changed = true
    if (kept.length > 0) clients.set(client, kept)
  }
  return { deleteSet: { clients }, changed }
}

/** Encodes structs and a delete set as a v1 update, as Yjs's `writeClientsStructs` and `writeDeleteSet` do. */
export function encodeUpdate(byClient: Map<number, Struct[]>, deleteSet: DeleteSet): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const rest = encoder.restEncoder
  encoding.writeVarUint(rest, byClient.size)
  for (const [client, structs] of [...byClient].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(rest, structs.length)
    encoder.writeClient(client)
    encoding.writeVarUint(rest, structs[0]!.id.clock)
    for (const struct of structs) struct.write(encoder, 0)
  }
  encoding.writeVarUint(rest, deleteSet.clients.size)
  for (const [client, ranges] of [...deleteSet.clients].sort((a, b) => b[0] - a[0])) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(rest, client)
    encoding.writeVarUint(rest, ranges.length)
    for (const { clock, len } of ranges) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
  return encoder.toUint8Array()
}

/** The struct of this update that holds `id`, if any (binary search in its client's list). */
export function findInUpdate(update: DecodedUpdate, id: Y.ID): Struct | undefined {
  const list = update.byClient.get(id.client)
  if (!list) return undefined
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const struct = list[mid]!
    if (id.clock < struct.id.clock) high = mid - 1
    else if (id.clock >= struct.id.clock + struct.length) low = mid + 1
    else return struct
  }
  return undefined
}

/** The stored struct holding `id`, or the update's, or undefined when neither has it. */
export function resolveStruct(doc: Y.Doc, update: DecodedUpdate, id: Y.ID): Struct | undefined {
  if (id.clock < Y.getState(doc.store, id.client)) return Y.getItem(doc.store, id) as Struct
  return findInUpdate(update, id)
}
