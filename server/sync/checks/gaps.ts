/**
 * Yjs's integration (YATA) is deterministic only for items whose origin and right origin were neighbours when the
 * item was made: everything between them in a replica's list is then content its maker did not know, which every
 * replica orders alike. A hand-written item whose origins disagree (right origin left of its origin, or a
 * right origin far from its origin) lands in a place that depends on the order replicas received the updates: the
 * server's memory, a snapshot rebuilt from it and a late joiner would read different text, and an agreed clause
 * could read differently after a restart. So the server, which holds everything the item depends on, checks that
 * the right origin lies to the right of the origin and that the gap holds nothing the maker must have known.
 *
 * Between stored origins that is a walk along the list (bounded by a budget per update). An origin inside the same
 * update is checked by the patterns a replica produces: typing on (the right origin is the origin's right origin)
 * or typing before an item typed right after the origin (the right origin's origin is the origin).
 */
import * as Y from 'yjs'
import { type DecodedUpdate, findInUpdate } from './decodedUpdate.ts'

/** List positions walked per update before it is refused (honest gaps hold a few concurrent insertions). */
export const GAP_WALK_BUDGET = 50_000

export class GapWalk {
  private steps = 0

  constructor(
    private readonly doc: Y.Doc,
    private readonly update: DecodedUpdate,
  ) {}

  private stored(id: Y.ID): boolean {
    return id.clock < Y.getState(this.doc.store, id.client)
  }

  /** Whether `item`'s origin and right origin can have been neighbours; throws when over the budget. */
  consistent(item: Y.Item, parent: Y.AbstractType<unknown> | null, key: string | null): boolean {
    const { origin, rightOrigin } = item
    const originNew = origin !== null && !this.stored(origin)
    const rightNew = rightOrigin !== null && !this.stored(rightOrigin)
    if (originNew || rightNew) return this.samePattern(origin, rightOrigin, originNew, rightNew)
    if (!parent) return true
    return this.gapHoldsOnlyInsertions(parent, key, origin, rightOrigin)
  }

  private samePattern(
    origin: Y.ID | null,
    right: Y.ID | null,
    originNew: boolean,
    rightNew: boolean,
  ): boolean {
    if (originNew) {
      const left = findInUpdate(this.update, origin!)
      if (left instanceof Y.Item && sameId(endOrNull(left, origin!), right)) return true
    }
    if (rightNew) {
      const next = findInUpdate(this.update, right!)
      if (next instanceof Y.Item && sameId(startOrigin(next, right!), origin)) return true
    }
    return false
  }

  /**
   * The right origin must lie to the right of the origin in the same list, and nothing between them may be
   * content the item's maker knew (what the right origin's maker knew: its client's earlier clocks, its origin);
   * concurrent insertions may sit there, wherever their own origins are.
   */
  private gapHoldsOnlyInsertions(
    parent: Y.AbstractType<unknown>,
    key: string | null,
    origin: Y.ID | null,
    right: Y.ID | null,
  ): boolean {
    const store = this.doc.store
    const left = origin ? (Y.getItem(store, origin) as Y.Item | Y.GC) : null
    const end = right ? (Y.getItem(store, right) as Y.Item | Y.GC) : null
    if (left instanceof Y.GC || end instanceof Y.GC) return true // Yjs collects the item: nothing to order.
    if (end && left === end) return right!.clock === origin!.clock + 1
    // A right origin inside a longer item: its head, typed before it and so known, would lie in the gap.
    if (end && right!.clock > end.id.clock) return false
    const endOrigin = end?.origin ? Y.getItem(store, end.origin) : null
    let current: Y.Item | null = left ? left.right : firstOf(parent, key)
    while (current !== end) {
      if (current === null) return false // the right origin is not to the right of the origin
      if (++this.steps > GAP_WALK_BUDGET) throw new GapBudgetError()
      const known =
        end !== null &&
        ((current.id.client === end.id.client && current.id.clock < end.id.clock) || current === endOrigin)
      if (known) return false
      current = current.right
    }
    return true
  }
}

export class GapBudgetError extends Error {}

function firstOf(parent: Y.AbstractType<unknown>, key: string | null): Y.Item | null {
  if (key === null) return parent._start
  let item = parent._map.get(key) ?? null
  while (item?.left) item = item.left
  return item
}

function sameId(a: Y.ID | null, b: Y.ID | null): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock)
}

/** What follows `id` inside the update's struct `item`: the next clock, or the struct's right origin at its end. */
function endOrNull(item: Y.Item, id: Y.ID): Y.ID | null {
  return id.clock < item.id.clock + item.length - 1 ? Y.createID(id.client, id.clock + 1) : item.rightOrigin
}

/** What precedes `id` inside the update's struct `item`: the previous clock, or the struct's origin. */
function startOrigin(item: Y.Item, id: Y.ID): Y.ID | null {
  return id.clock > item.id.clock ? Y.createID(id.client, id.clock - 1) : item.origin
}
