/**
 * Where Yjs will put each item of a normalized update, decided as `Item.getMissing` and `Item.integrate` do it
 * (SYNC.md §2): an item with an origin lands in its origin's parent under its origin's map key, else in its right
 * origin's; only an item with neither uses its declared parent. A neighbour that was garbage-collected makes the
 * item collected too (it integrates as a GC struct and shows nothing). `Y.decodeUpdate` reports `parent: null`
 * and `parentSub: null` for an item with an origin (the encoder leaves them out), so the declared fields are never
 * trusted.
 *
 * The update's structs are first put in an order Yjs can integrate them (each one's dependencies — the same
 * client's previous struct, its origin, right origin and parent — before it); a cycle among them would stay
 * pending in Yjs forever and is refused. In that order every container is known from the store or from an
 * earlier struct: one pass, no recursion, whatever the nesting or chaining of the update.
 */
import * as Y from 'yjs'
import { BODY_FIELD } from '../../../shared/editor/extensions.ts'
import { type DecodedUpdate, findInUpdate, type Struct } from './decodedUpdate.ts'
import type { DocumentTree } from './documentTree.ts'
import { GapBudgetError, GapWalk } from './gaps.ts'

type Type = Y.AbstractType<unknown>

/** The type an item is integrated into, and the map key it is stored under (null in a list). */
export type Container =
  | { kind: 'stored'; type: Type; key: string | null }
  | { kind: 'new'; item: Y.Item; key: string | null }
  | { kind: 'root'; name: string; key: string | null }
  | { kind: 'collected' }

export interface Integration {
  containers: Map<Struct, Container>
  /** The deepest nesting of a type this update creates (a root type's children are at depth 1). */
  maxDepth: number
}

export class IntegrationError extends Error {}

const COLLECTED: Container = { kind: 'collected' }

/** Plans the integration of a normalized update that passed the causality check; throws IntegrationError. */
export function planIntegration(doc: Y.Doc, update: DecodedUpdate, tree: DocumentTree): Integration {
  const order = integrationOrder(doc, update)
  const gaps = new GapWalk(doc, update)
  const containers = new Map<Struct, Container>()
  const depths = new Map<Struct, number>()
  let maxDepth = 0
  for (const struct of order) {
    const container = struct instanceof Y.Item ? containerOf(doc, update, struct, containers) : COLLECTED
    containers.set(struct, container)
    if (
      struct instanceof Y.Item &&
      container.kind !== 'collected' &&
      !placedConsistently(gaps, struct, container)
    )
      throw new IntegrationError('An item names neighbours that were never next to each other.')
    if (
      struct instanceof Y.Item &&
      struct.content instanceof Y.ContentType &&
      container.kind !== 'collected'
    ) {
      const depth = containerDepth(container, tree, depths) + 1
      depths.set(struct, depth)
      if (depth > maxDepth) maxDepth = depth
    }
  }
  return { containers, maxDepth }
}

function placedConsistently(gaps: GapWalk, item: Y.Item, container: Container): boolean {
  if (!item.origin && !item.rightOrigin && container.kind === 'new') return true
  const parent = container.kind === 'stored' ? container.type : null
  try {
    return gaps.consistent(item, parent, container.kind === 'collected' ? null : container.key)
  } catch (error) {
    if (error instanceof GapBudgetError) throw new IntegrationError('The change is too scattered to check.')
    throw error
  }
}

function containerDepth(container: Container, tree: DocumentTree, depths: Map<Struct, number>): number {
  if (container.kind === 'stored') return tree.depth(container.type)
  if (container.kind === 'new') return depths.get(container.item) ?? 0
  return 0
}

/** A referenced struct: stored (never split here: `Y.getItem` only reads) or earlier in this update. */
function locate(doc: Y.Doc, update: DecodedUpdate, id: Y.ID): Struct | undefined {
  if (id.clock < Y.getState(doc.store, id.client)) return Y.getItem(doc.store, id) as Struct
  return findInUpdate(update, id)
}

function isStored(doc: Y.Doc, struct: Struct): boolean {
  return struct.id.clock < Y.getState(doc.store, struct.id.client)
}

function containerOf(
  doc: Y.Doc,
  update: DecodedUpdate,
  item: Y.Item,
  known: Map<Struct, Container>,
): Container {
  if (item.origin || item.rightOrigin) {
    const left = item.origin ? locate(doc, update, item.origin) : undefined
    const right = item.rightOrigin ? locate(doc, update, item.rightOrigin) : undefined
    if (isCollected(doc, left, known) || isCollected(doc, right, known)) return COLLECTED
    const neighbour = left ?? right
    if (!(neighbour instanceof Y.Item))
      throw new IntegrationError('An item refers to a neighbour it cannot have.')
    if (isStored(doc, neighbour))
      return { kind: 'stored', type: neighbour.parent as Type, key: neighbour.parentSub }
    const theirs = known.get(neighbour)
    if (!theirs) throw new IntegrationError('An item refers to a neighbour placed after it.')
    return theirs
  }
  const parent = item.parent as unknown
  if (typeof parent === 'string') {
    if (parent !== BODY_FIELD) throw new IntegrationError('Only the deliverable body may be edited.')
    return { kind: 'root', name: parent, key: item.parentSub }
  }
  if (!(parent instanceof Y.ID)) throw new IntegrationError('An item without a parent.')
  const struct = locate(doc, update, parent)
  if (struct instanceof Y.GC || isCollected(doc, struct, known)) return COLLECTED
  if (!(struct instanceof Y.Item))
    throw new IntegrationError('An item names a parent that cannot hold content.')
  // A parent that is not a type (or whose content was collected after its deletion) leaves Yjs's item without a
  // parent: it integrates as a GC struct, as a concurrent insertion into a deleted paragraph does.
  if (!(struct.content instanceof Y.ContentType)) return COLLECTED
  if (isStored(doc, struct)) return { kind: 'stored', type: struct.content.type as Type, key: item.parentSub }
  return { kind: 'new', item: struct, key: item.parentSub }
}

function isCollected(doc: Y.Doc, struct: Struct | undefined, known: Map<Struct, Container>): boolean {
  if (!struct) return false
  if (struct instanceof Y.GC) return true
  return !isStored(doc, struct) && known.get(struct)?.kind === 'collected'
}

/** Every id an item depends on: its origin, right origin and parent (the same client's previous clock apart). */
function dependencies(struct: Struct): (Y.ID | null)[] {
  if (!(struct instanceof Y.Item)) return []
  return [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]
}

/**
 * The update's structs with every dependency inside the update before its dependents. Throws IntegrationError
 * for a reference to a later clock of the same client or to content nobody has, and for a cycle: Yjs would keep
 * such structs pending. Nearly every update is already in order (one client, each struct after what it names),
 * so that is checked first without building the graph.
 */
function integrationOrder(doc: Y.Doc, update: DecodedUpdate): Struct[] {
  const structs: Struct[] = []
  const rank = new Map<number, number>()
  for (const [client, list] of update.byClient) {
    rank.set(client, rank.size)
    for (const struct of list) structs.push(struct)
  }
  let inOrder = true
  for (const struct of structs)
    for (const id of dependencies(struct)) {
      if (!id || id.clock < Y.getState(doc.store, id.client)) continue
      const own = struct.id
      if (id.client === own.client && id.clock >= own.clock)
        throw new IntegrationError('An item refers to a later part of its own history.')
      if (!findInUpdate(update, id)) throw new IntegrationError('An item refers to content nobody has.')
      if (id.client !== own.client && rank.get(id.client)! > rank.get(own.client)!) inOrder = false
    }
  return inOrder ? structs : sortedByDependencies(doc, update, structs)
}

/** Kahn's algorithm over the update's structs; a cycle leaves some unsorted. */
function sortedByDependencies(doc: Y.Doc, update: DecodedUpdate, structs: Struct[]): Struct[] {
  const index = new Map<Struct, number>()
  structs.forEach((s, i) => {
    index.set(s, i)
  })
  const waitingFor = new Int32Array(structs.length)
  const dependents: number[][] = structs.map(() => [])
  const edge = (from: Struct, to: number) => {
    dependents[index.get(from)!]!.push(to)
    waitingFor[to]!++
  }
  for (const list of update.byClient.values())
    for (let k = 1; k < list.length; k++) edge(list[k - 1]!, index.get(list[k]!)!)
  structs.forEach((struct, i) => {
    for (const id of dependencies(struct))
      if (id && id.clock >= Y.getState(doc.store, id.client)) edge(findInUpdate(update, id)!, i)
  })
  const order: Struct[] = []
  const ready: number[] = []
  for (let i = 0; i < structs.length; i++) if (waitingFor[i] === 0) ready.push(i)
  while (ready.length > 0) {
    const i = ready.pop()!
    order.push(structs[i]!)
    for (const next of dependents[i]!) if (--waitingFor[next]! === 0) ready.push(next)
  }
  if (order.length !== structs.length) throw new IntegrationError('The update depends on itself in a cycle.')
  return order
}
