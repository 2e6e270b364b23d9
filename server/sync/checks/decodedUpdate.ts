/**
 * A client's update decoded once (`Y.decodeUpdate`, never applied), indexed so that the checks can resolve an id
 * either in the stored document or earlier in the same update.
 */
import * as Y from 'yjs'

/** Yjs does not export the DeleteSet type; this is its shape. */
export interface DeleteSet {
  clients: Map<number, { clock: number; len: number }[]>
}

type Struct = Y.Item | Y.GC | Y.Skip

export interface DecodedUpdate {
  bytes: Uint8Array
  structs: Struct[]
  deleteSet: DeleteSet
  /** client → its structs in this update, in clock order. */
  byClient: Map<number, Struct[]>
  /** True for `[0, 0]` and other updates with nothing in them. */
  empty: boolean
  /** Highest clock (exclusive) per client this update writes: what a "saved" acknowledgement covers. */
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
  const byClient = new Map<number, Struct[]>()
  const clocks = new Map<number, number>()
  for (const struct of decoded.structs) {
    const client = struct.id.client
    const list = byClient.get(client) ?? []
    if (list.length === 0) byClient.set(client, list)
    list.push(struct)
    clocks.set(client, Math.max(clocks.get(client) ?? 0, struct.id.clock + struct.length))
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  let deletes = 0
  for (const ranges of decoded.ds.clients.values()) deletes += ranges.length
  return {
    bytes,
    structs: decoded.structs,
    deleteSet: decoded.ds,
    byClient,
    empty: decoded.structs.length === 0 && deletes === 0,
    clocks,
  }
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
