/**
 * Structure-aware fuzzing of Yjs updates (fast-check). An attack is described as plain data (which clause, which
 * struct, which clientID, as role + pick numbers, so that fast-check shrinks it to something readable) and built
 * against the document the server holds at that moment:
 *
 * - `mutated`: a real update of an honest Yjs replica (typing, formatting, blocks, sub-clauses, attributes, in
 *   open or agreed clauses), decoded with `Y.decodeUpdate`, its structs mutated (client, clock, origin, right
 *   origin, parent, map key, content) and its delete set extended, then re-encoded with Yjs's own `Item.write`
 *   on a `Y.UpdateEncoderV1`, in a chosen layout of client groups;
 * - `handmade`: structs written from scratch (origins and parents that disagree, overlaps of known clocks under
 *   the sender's own clientID, GC and deleted content);
 * - `nest`: chains of nested elements around the nesting limit (`MAX_NESTING`) and far over it;
 * - `attribute`: map-key items on clause elements (`id`, `kind`), with a parent and key, or over the present
 *   value so that the item has an origin and Yjs takes the key from it;
 * - `deletes`: delete sets over agreed text, clause elements, ancestors of agreed clauses, attributes, already
 *   deleted ranges and whole clients.
 *
 * Honest edits (`EditOp` on a replica, `applyEdit`) are the same vocabulary without the hostile parts.
 * SYNC.md §2 is the reference for what the server must do with each.
 */
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MAX_NESTING } from '../../../server/sync/checks/limits.ts'
import { CLAUSE, CLAUSE_HEADING, type ClauseKind } from '../../../shared/editor/clauseNodes.ts'
import { BODY_FIELD } from '../../../shared/editor/extensions.ts'

// ---------------------------------------------------------------------------------------------------------------
// Who is who, and what is protected

/** The clientIDs an attack can write under. */
export interface Cast {
  /** The sender's own clientID, with history (some of it in clauses agreed since). */
  own: number
  /** Other users' clientIDs, with history. */
  others: number[]
  /** The clientID that seeded the skeleton (owned by the server). */
  seed: number
  /** The server document's clientID now (owned by the server; its repairs are written under it). */
  server: number
  /** A reader's clientID, claimed by its hello; no structs. */
  reader: number
}

export type ClientChoice = 'own' | 'fresh' | 'other' | 'seed' | 'server' | 'reader'

/** Item keys (`client:clock`) of the protected clause elements. */
export interface Protection {
  agreed: ReadonlySet<string>
  required: ReadonlySet<string>
}

/**
 * A clause by what protects it: agreed; required (clauses 2 to 5, protected against removal only); an ancestor of
 * a protected clause; an open sub-clause of an agreed clause; open.
 */
export type ClauseRole = 'open' | 'agreed' | 'required' | 'ancestor' | 'agreedChild'
export const CLAUSE_ROLES: readonly ClauseRole[] = ['open', 'agreed', 'required', 'ancestor', 'agreedChild']

export const keyOf = (id: { client: number; clock: number }) => `${id.client}:${id.clock}`

// ---------------------------------------------------------------------------------------------------------------
// Reading a document (read-only: never splits a struct, never starts a transaction)

type Type = Y.AbstractType<unknown>

function isClause(node: unknown): node is Y.XmlElement {
  return node instanceof Y.XmlElement && node.nodeName === CLAUSE
}

/** The live items of a type's list, left to right. */
function liveItems(type: Type): Y.Item[] {
  const items: Y.Item[] = []
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) items.push(item)
  return items
}

/** Every live clause element in pre-order, with the nearest clause element above it. */
function clauseTree(body: Y.XmlFragment): { element: Y.XmlElement; parentClause: Y.XmlElement | null }[] {
  const out: { element: Y.XmlElement; parentClause: Y.XmlElement | null }[] = []
  const stack: { type: Type; clause: Y.XmlElement | null }[] = [
    { type: body as unknown as Type, clause: null },
  ]
  while (stack.length > 0) {
    const { type, clause } = stack.pop()!
    const children = liveItems(type)
    for (let i = children.length - 1; i >= 0; i--) {
      const content = children[i]!.content
      if (!(content instanceof Y.ContentType)) continue
      const child = content.type
      if (isClause(child)) stack.push({ type: child as unknown as Type, clause: child })
      else if (child instanceof Y.XmlElement) stack.push({ type: child as unknown as Type, clause })
    }
    if (clause && type === (clause as unknown as Type))
      out.push({ element: clause, parentClause: parentClause(clause) })
  }
  return out
}

function parentClause(element: Y.XmlElement): Y.XmlElement | null {
  let type = element._item?.parent as Type | null
  while (type?._item) {
    if (isClause(type)) return type as unknown as Y.XmlElement
    type = type._item.parent as Type | null
  }
  return null
}

/** The clauses of the body by role; `within` restricts them to these item keys (an honest editor's view). */
export function clausesByRole(
  body: Y.XmlFragment,
  protection: Protection,
  within?: ReadonlySet<string>,
): Record<ClauseRole, Y.XmlElement[]> {
  const tree = clauseTree(body)
  const ancestors = new Set<string>()
  for (const { element } of tree) {
    const key = keyOf(element._item!.id)
    if (!protection.agreed.has(key) && !protection.required.has(key)) continue
    let type = element._item!.parent as Type | null
    while (type?._item) {
      ancestors.add(keyOf(type._item.id))
      type = type._item.parent as Type | null
    }
  }
  const roles: Record<ClauseRole, Y.XmlElement[]> = {
    open: [],
    agreed: [],
    required: [],
    ancestor: [],
    agreedChild: [],
  }
  for (const { element, parentClause } of tree) {
    const key = keyOf(element._item!.id)
    if (within && !within.has(key)) continue
    if (protection.agreed.has(key)) roles.agreed.push(element)
    else if (protection.required.has(key)) roles.required.push(element)
    else if (ancestors.has(key)) roles.ancestor.push(element)
    else if (parentClause && protection.agreed.has(keyOf(parentClause._item!.id)))
      roles.agreedChild.push(element)
    else roles.open.push(element)
  }
  return roles
}

/** The clause of this role picked by `pick`, falling back to the other roles in order when there is none. */
export function pickClause(
  roles: Record<ClauseRole, Y.XmlElement[]>,
  role: ClauseRole,
  pick: number,
): Y.XmlElement | null {
  const list =
    roles[role].length > 0 ? roles[role] : CLAUSE_ROLES.map((r) => roles[r]).find((l) => l.length > 0)
  return list && list.length > 0 ? list[pick % list.length]! : null
}

/** The clause's own blocks (heading, paragraphs, entries; not its sub-clauses) that are elements. */
function ownBlocks(clause: Y.XmlElement): Y.XmlElement[] {
  return clause.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName !== CLAUSE)
}

/** Every XmlText in the clause's own blocks (sub-clauses excluded), iteratively. */
function ownTexts(clause: Y.XmlElement): Y.XmlText[] {
  const texts: Y.XmlText[] = []
  const stack: Y.XmlElement[] = ownBlocks(clause).reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    const children = node.toArray()
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]
      if (child instanceof Y.XmlText) texts.unshift(child)
      else if (child instanceof Y.XmlElement && child.nodeName !== CLAUSE) stack.push(child)
    }
  }
  // Document order is not needed, only a stable one.
  return texts
}

/** The live text items (characters) of the clause's own text. */
function ownCharItems(clause: Y.XmlElement): Y.Item[] {
  const out: Y.Item[] = []
  for (const text of ownTexts(clause))
    for (const item of liveItems(text as unknown as Type))
      if (item.content instanceof Y.ContentString) out.push(item)
  return out
}

function paragraphs(clause: Y.XmlElement): Y.XmlElement[] {
  return ownBlocks(clause).filter((b) => b.nodeName === 'paragraph')
}

/** Every struct of the store that is a deleted item, or a GC struct. */
function deadStructs(doc: Y.Doc): { deleted: Y.Item[]; gc: Y.GC[] } {
  const deleted: Y.Item[] = []
  const gc: Y.GC[] = []
  const clients = [...doc.store.clients.keys()].sort((a, b) => a - b)
  for (const client of clients)
    for (const struct of doc.store.clients.get(client)!) {
      if (struct instanceof Y.GC) gc.push(struct)
      else if (struct instanceof Y.Item && struct.deleted) deleted.push(struct)
    }
  return { deleted, gc }
}

/** The items of the elements above every agreed clause (never the root). */
function ancestorItems(body: Y.XmlFragment, protection: Protection): Y.Item[] {
  const seen = new Map<string, Y.Item>()
  for (const { element } of clauseTree(body)) {
    if (!protection.agreed.has(keyOf(element._item!.id))) continue
    let type = element._item!.parent as Type | null
    while (type?._item) {
      seen.set(keyOf(type._item.id), type._item)
      type = type._item.parent as Type | null
    }
  }
  return [...seen.values()].sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock)
}

/** How many nested types hold `type`, itself included (a root type is 0). Iterative. */
export function typeDepth(type: Type): number {
  let depth = 0
  for (let t: Type | null = type; t?._item; t = t._item.parent as Type | null) depth++
  return depth
}

const idInside = (item: Y.Item | Y.GC, at: number) =>
  Y.createID(item.id.client, item.id.clock + (at % Math.max(1, item.length)))

// ---------------------------------------------------------------------------------------------------------------
// Honest edits (an editor's transactions on its replica), also the raw material of mutated attacks

export type EditOp =
  | { op: 'type'; pick: number; field: 'heading' | 'text'; at: number; text: string }
  | { op: 'erase'; pick: number; at: number; length: number }
  | { op: 'format'; pick: number; at: number; length: number; mark: 'bold' | 'italic' }
  | { op: 'paragraph'; pick: number; text: string }
  /** Types into an empty paragraph (the skeleton is full of them): a new XmlText whose parent is the paragraph. */
  | { op: 'fill'; pick: number; text: string }
  | { op: 'removeBlock'; pick: number; at: number }
  | { op: 'subclause'; pick: number }
  | { op: 'removeClause'; pick: number }
  | { op: 'kind'; pick: number; value: ClauseKind }
  | { op: 'attribute'; pick: number; key: 'id' | 'kind' | 'data-x'; value: string }

export interface EditContext {
  protection: Protection
  /** Only these clauses (item keys) are targets; an honest editor only edits the clauses it knows. */
  within?: ReadonlySet<string>
  /** A fresh clause id for a new sub-clause. */
  newClauseId(): string
}

export function newClauseElement(id: string, title: string, text: string): Y.XmlElement {
  const clause = new Y.XmlElement(CLAUSE)
  clause.setAttribute('id', id)
  clause.setAttribute('kind', 'numbered')
  const heading = new Y.XmlElement(CLAUSE_HEADING)
  heading.insert(0, [new Y.XmlText(title)])
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  clause.insert(0, [heading, paragraph])
  return clause
}

/**
 * Applies one edit to the clause of `role` picked by `op.pick` (in the replica's own transaction). Answers false
 * when it found nothing to act on and changed nothing.
 */
export function applyEdit(body: Y.XmlFragment, context: EditContext, role: ClauseRole, op: EditOp): boolean {
  const roles = clausesByRole(body, context.protection, context.within)
  const clause = roles[role].length > 0 ? roles[role][op.pick % roles[role].length]! : null
  if (!clause) return false
  const texts = ownTexts(clause)
  switch (op.op) {
    case 'type': {
      let text: Y.XmlText | undefined
      if (op.field === 'heading') {
        const heading = ownBlocks(clause).find((b) => b.nodeName === CLAUSE_HEADING)
        if (!heading) return false
        text = heading.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText)
        if (!text) {
          heading.insert(0, [new Y.XmlText(op.text)])
          return true
        }
      } else text = texts[op.at % Math.max(1, texts.length)]
      if (!text) return false
      text.insert(op.at % (text.length + 1), op.text)
      return true
    }
    case 'erase':
    case 'format': {
      const candidates = texts.filter((t) => t.length > 0)
      if (candidates.length === 0) return false
      const text = candidates[op.at % candidates.length]!
      const start = op.at % text.length
      const length = Math.min(op.length, text.length - start)
      if (op.op === 'erase') text.delete(start, length)
      else text.format(start, length, { [op.mark]: true })
      return true
    }
    case 'paragraph': {
      // An empty text is Enter pressed: an empty paragraph, with no XmlText in it until someone types.
      const paragraph = new Y.XmlElement('paragraph')
      if (op.text) paragraph.insert(0, [new Y.XmlText(op.text)])
      clause.insert(ownBlocks(clause).length, [paragraph])
      return true
    }
    case 'fill': {
      const all = paragraphs(clause)
      const empty = all.filter((p) => p.length === 0)
      if (empty.length > 0) {
        empty[op.pick % empty.length]!.insert(0, [new Y.XmlText(op.text)])
        return true
      }
      const emptyText = texts.find((t) => t.length === 0)
      if (!emptyText) return false
      emptyText.insert(0, op.text)
      return true
    }
    case 'removeBlock': {
      const children = clause.toArray()
      const indexes = children
        .map((c, i) => (c instanceof Y.XmlElement && c.nodeName === 'paragraph' ? i : -1))
        .filter((i) => i >= 0)
      if (indexes.length === 0) return false
      clause.delete(indexes[op.at % indexes.length]!, 1)
      return true
    }
    case 'subclause':
      clause.insert(clause.length, [
        newClauseElement(context.newClauseId(), 'A new sub-clause', 'Sub-clause text.'),
      ])
      return true
    case 'removeClause': {
      const parent = clause.parent as Y.XmlElement | Y.XmlFragment
      const index = parent.toArray().indexOf(clause)
      if (index < 0) return false
      parent.delete(index, 1)
      return true
    }
    case 'kind':
      clause.setAttribute('kind', op.value)
      return true
    case 'attribute':
      clause.setAttribute(op.key, op.value)
      return true
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Attack descriptions

/** A struct id an attack refers to, resolved against the server's document when the attack is built. */
export type IdRef =
  /** A character of a clause's own text. */
  | { ref: 'text'; role: ClauseRole; pick: number; at: number }
  /** An item of the clause element's own list (heading, paragraph, sub-clause). */
  | { ref: 'block'; role: ClauseRole; pick: number; at: number }
  /** The clause element's own item. */
  | { ref: 'clause'; role: ClauseRole; pick: number }
  /** The item holding the clause's present `id` or `kind` value. */
  | { ref: 'attribute'; role: ClauseRole; pick: number; key: 'id' | 'kind' }
  /** An element above an agreed clause. */
  | { ref: 'ancestor'; pick: number; at: number }
  /** A deleted item (content already removed, or a type whose content was collected). */
  | { ref: 'deleted'; pick: number; at: number }
  /** A garbage-collected struct. */
  | { ref: 'gc'; pick: number; at: number }
  /** A client's last stored clock (where an overlapping struct's origin goes once sliced). */
  | { ref: 'last'; who: ClientChoice }
  /** A clock nobody has yet. */
  | { ref: 'unknown'; who: ClientChoice; ahead: number }
  /** An earlier struct of the same update (its last clock), counted back from the struct that refers to it. */
  | { ref: 'self'; back: number }

/** A declared parent: a root type, or a type's item. */
export type ParentRef =
  | { parent: 'root' }
  | { parent: 'otherRoot' }
  | { parent: 'clause'; role: ClauseRole; pick: number }
  /** An XmlText of the clause's own text. */
  | { parent: 'text'; role: ClauseRole; pick: number; at: number }
  /** An element block of the clause (heading, paragraph). */
  | { parent: 'block'; role: ClauseRole; pick: number; at: number }
  /** Not a type at all: a character. */
  | { parent: 'char'; role: ClauseRole; pick: number; at: number }
  | { parent: 'deleted'; pick: number; at: number }
  | { parent: 'gc'; pick: number; at: number }
  | { parent: 'ancestor'; pick: number; at: number }
  | { parent: 'self'; back: number }

export type ContentChoice =
  | { c: 'string'; text: string }
  | { c: 'format'; key: 'bold' | 'italic'; on: boolean }
  | { c: 'element'; name: 'clause' | 'paragraph' | 'clauseHeading' | 'blockquote' }
  | { c: 'xmlText' }
  | { c: 'any'; value: 'annex' | 'appendix' | 'x' | 42 | null | 'object' | 'array' }
  | { c: 'deleted'; len: number }
  | { c: 'embed' }
  | { c: 'gc'; len: number }

export type DeleteRef =
  | { del: 'text'; role: ClauseRole; pick: number; at: number; len: number }
  | { del: 'clause'; role: ClauseRole; pick: number }
  | { del: 'block'; role: ClauseRole; pick: number; at: number }
  | { del: 'attribute'; role: ClauseRole; pick: number; key: 'id' | 'kind' }
  | { del: 'ancestor'; pick: number }
  /** An already deleted (or collected) range, widened by `widen` clocks on both sides. */
  | { del: 'deleted'; pick: number; widen: number }
  /** Every clock of a client. */
  | { del: 'client'; who: ClientChoice }
  | { del: 'unknown'; who: ClientChoice; len: number }
  /** Structs of this very update. */
  | { del: 'self'; back: number; len: number }

export type Mutation =
  /** Moves the update's structs to another clientID: same clocks, continuing its state, or overlapping it. */
  | { m: 'client'; who: ClientChoice; start: 'keep' | 'continue' | 'overlap'; k: number }
  /** Starts the update `k` clocks lower, over clocks the server already holds (same client). */
  | { m: 'overlap'; k: number }
  | { m: 'origin'; index: number; to: IdRef | null }
  | { m: 'rightOrigin'; index: number; to: IdRef | null }
  /** Declares a parent (and map key) instead of origins. */
  | { m: 'parent'; index: number; to: ParentRef; sub: 'id' | 'kind' | null }
  | { m: 'swap'; index: number }
  | { m: 'content'; index: number; to: ContentChoice }
  | { m: 'delete'; range: DeleteRef }
  | { m: 'dropDeletes' }

/**
 * How the client groups are laid out on the wire: Yjs's own order, ascending clients, one client's structs in
 * two groups with another client's group between them (either order), or each delete range as its own entry.
 */
export type Layout = 'plain' | 'ascending' | 'split' | 'splitReversed' | 'scatteredDeletes'

export interface RawStruct {
  origin: IdRef | null
  rightOrigin: IdRef | null
  /** Used only when there is neither origin nor right origin (the wire has no room for it otherwise). */
  parent: ParentRef
  sub: 'id' | 'kind' | 'x' | null
  content: ContentChoice
}

export type AttackSpec =
  | {
      kind: 'mutated'
      /** The replica it comes from: the server's present state, or a stale honest replica. */
      source: 'server' | 'stale'
      as: ClientChoice
      role: ClauseRole
      edit: EditOp
      mutations: Mutation[]
      layout: Layout
    }
  | {
      kind: 'handmade'
      as: ClientChoice
      /** The first clock: the client's state, `k` below it (overlapping known clocks), or `k` above (a gap). */
      start: 'continue' | 'overlap' | 'gap'
      k: number
      structs: RawStruct[]
      deletes: DeleteRef[]
      layout: Layout
    }
  | {
      kind: 'nest'
      as: ClientChoice
      under: ParentRef
      /** Levels relative to the limit: the chain's deepest element lands at MAX_NESTING + delta. */
      delta: number
      /** Or an absolute chain length, far over any limit (overrides delta when set). */
      length: number | null
      node: 'clause' | 'paragraph' | 'blockquote'
      /** Each element's link to the one above: a declared parent, or (from the second on) a parent via origin. */
      link: 'parent' | 'origin'
      leafText: boolean
      layout: Layout
    }
  | {
      kind: 'attribute'
      as: ClientChoice
      role: ClauseRole
      pick: number
      key: 'id' | 'kind'
      /** With a parent and key (`parent`), or over the present value so that the key comes from the origin. */
      mode: 'parent' | 'origin' | 'rightOrigin'
      value: ContentChoice
      layout: Layout
    }
  | { kind: 'deletes'; ranges: DeleteRef[]; layout: Layout }

// ---------------------------------------------------------------------------------------------------------------
// Building an attack

export interface AttackContext {
  /** The server's document (read only: the attack is built on a fork). */
  doc: Y.Doc
  /** A stale honest replica, for `source: 'stale'` (read only). */
  stale?: Y.Doc
  protection: Protection
  cast: Cast
  /** A clientID nobody has used (deterministic per run). */
  fresh(): number
  newClauseId(): string
}

export interface BuiltAttack {
  bytes: Uint8Array
  /** The clientIDs it writes structs under. */
  clients: number[]
  /** For a chain of nested elements: how deep its deepest type lands (the body's children are at depth 1). */
  deepest?: number
}

type Struct = Y.Item | Y.GC | Y.Skip

interface Draft {
  struct: Struct
  oldClient: number
  oldClock: number
  oldLength: number
  client: number
  /** References set by a mutation: kept as they are when the update's own clocks move. */
  fixed: { origin?: boolean; rightOrigin?: boolean; parent?: boolean }
  /** References to another struct of this update, by index. */
  self: { origin?: number; rightOrigin?: number; parent?: number }
}

class Resolver {
  private roles: Record<ClauseRole, Y.XmlElement[]> | null = null
  private dead: { deleted: Y.Item[]; gc: Y.GC[] } | null = null
  private ancestors: Y.Item[] | null = null
  private readonly clientChoices = new Map<ClientChoice, number>()

  constructor(readonly context: AttackContext) {}

  get body(): Y.XmlFragment {
    return this.context.doc.getXmlFragment(BODY_FIELD)
  }

  clause(role: ClauseRole, pick: number): Y.XmlElement | null {
    this.roles ??= clausesByRole(this.body, this.context.protection)
    return pickClause(this.roles, role, pick)
  }

  deadStructs() {
    this.dead ??= deadStructs(this.context.doc)
    return this.dead
  }

  ancestorItems(): Y.Item[] {
    this.ancestors ??= ancestorItems(this.body, this.context.protection)
    return this.ancestors
  }

  client(who: ClientChoice): number {
    const known = this.clientChoices.get(who)
    if (known !== undefined) return known
    const { cast } = this.context
    const client =
      who === 'own'
        ? cast.own
        : who === 'other'
          ? cast.others[0]!
          : who === 'seed'
            ? cast.seed
            : who === 'server'
              ? cast.server
              : who === 'reader'
                ? cast.reader
                : this.context.fresh()
    this.clientChoices.set(who, client)
    return client
  }

  state(client: number): number {
    return Y.getState(this.context.doc.store, client)
  }

  /** An id, or null when the document has nothing of that kind (the mutation is then left out). */
  id(ref: IdRef): Y.ID | null {
    switch (ref.ref) {
      case 'text': {
        const clause = this.clause(ref.role, ref.pick)
        const chars = clause ? ownCharItems(clause) : []
        return chars.length > 0 ? idInside(chars[ref.at % chars.length]!, ref.at) : null
      }
      case 'block': {
        const clause = this.clause(ref.role, ref.pick)
        const items = clause ? liveItems(clause as unknown as Type) : []
        return items.length > 0 ? items[ref.at % items.length]!.id : null
      }
      case 'clause':
        return this.clause(ref.role, ref.pick)?._item?.id ?? null
      case 'attribute':
        return this.clause(ref.role, ref.pick)?._map.get(ref.key)?.id ?? null
      case 'ancestor': {
        const items = this.ancestorItems()
        return items.length > 0 ? items[ref.pick % items.length]!.id : null
      }
      case 'deleted': {
        const { deleted } = this.deadStructs()
        return deleted.length > 0 ? idInside(deleted[ref.pick % deleted.length]!, ref.at) : null
      }
      case 'gc': {
        const { gc } = this.deadStructs()
        return gc.length > 0 ? idInside(gc[ref.pick % gc.length]!, ref.at) : null
      }
      case 'last': {
        const client = this.client(ref.who)
        const state = this.state(client)
        return state > 0 ? Y.createID(client, state - 1) : null
      }
      case 'unknown': {
        const client = this.client(ref.who)
        return Y.createID(client, this.state(client) + ref.ahead)
      }
      case 'self':
        return null
    }
  }

  /** A declared parent: a root name or an item id. */
  parent(ref: ParentRef): string | Y.ID | null {
    switch (ref.parent) {
      case 'root':
        return BODY_FIELD
      case 'otherRoot':
        return 'comments'
      case 'clause':
        return this.clause(ref.role, ref.pick)?._item?.id ?? null
      case 'text': {
        const clause = this.clause(ref.role, ref.pick)
        const texts = clause ? ownTexts(clause) : []
        return texts.length > 0 ? (texts[ref.at % texts.length]!._item?.id ?? null) : null
      }
      case 'block': {
        const clause = this.clause(ref.role, ref.pick)
        const blocks = clause ? ownBlocks(clause) : []
        return blocks.length > 0 ? (blocks[ref.at % blocks.length]!._item?.id ?? null) : null
      }
      case 'char':
        return this.id({ ref: 'text', role: ref.role, pick: ref.pick, at: ref.at })
      case 'deleted':
        return this.id({ ref: 'deleted', pick: ref.pick, at: ref.at })
      case 'gc':
        return this.id({ ref: 'gc', pick: ref.pick, at: ref.at })
      case 'ancestor':
        return this.id({ ref: 'ancestor', pick: ref.pick, at: ref.at })
      case 'self':
        return null
    }
  }

  /** Delete ranges for a reference (before the update's own clocks are known, `self` answers nothing). */
  deletes(ref: DeleteRef): { client: number; clock: number; len: number }[] {
    const one = (id: Y.ID | null | undefined, len = 1) =>
      id ? [{ client: id.client, clock: id.clock, len }] : []
    switch (ref.del) {
      case 'text': {
        const clause = this.clause(ref.role, ref.pick)
        const chars = clause ? ownCharItems(clause) : []
        if (chars.length === 0) return []
        const item = chars[ref.at % chars.length]!
        const from = ref.at % item.length
        return one(
          Y.createID(item.id.client, item.id.clock + from),
          Math.max(1, Math.min(ref.len, item.length - from)),
        )
      }
      case 'clause':
        return one(this.clause(ref.role, ref.pick)?._item?.id)
      case 'block':
        return one(this.id({ ref: 'block', role: ref.role, pick: ref.pick, at: ref.at }))
      case 'attribute':
        return one(this.id({ ref: 'attribute', role: ref.role, pick: ref.pick, key: ref.key }))
      case 'ancestor':
        return one(this.id({ ref: 'ancestor', pick: ref.pick, at: 0 }))
      case 'deleted': {
        const { deleted, gc } = this.deadStructs()
        const all: (Y.Item | Y.GC)[] = [...deleted, ...gc]
        if (all.length === 0) return []
        const struct = all[ref.pick % all.length]!
        const clock = Math.max(0, struct.id.clock - ref.widen)
        const end = Math.min(this.state(struct.id.client), struct.id.clock + struct.length + ref.widen)
        return [{ client: struct.id.client, clock, len: end - clock }]
      }
      case 'client': {
        const client = this.client(ref.who)
        const state = this.state(client)
        return state > 0 ? [{ client, clock: 0, len: state }] : []
      }
      case 'unknown': {
        const client = this.client(ref.who)
        return [{ client, clock: this.state(client) + 1, len: ref.len }]
      }
      case 'self':
        return []
    }
  }
}

type Content =
  | Y.ContentString
  | Y.ContentFormat
  | Y.ContentType
  | Y.ContentAny
  | Y.ContentDeleted
  | Y.ContentEmbed

function contentOf(choice: ContentChoice): Content | 'gc' {
  switch (choice.c) {
    case 'string':
      return new Y.ContentString(choice.text)
    case 'format':
      return new Y.ContentFormat(choice.key, (choice.on ? true : null) as unknown as object)
    case 'element':
      return new Y.ContentType(new Y.XmlElement(choice.name))
    case 'xmlText':
      return new Y.ContentType(new Y.XmlText())
    case 'any': {
      const value =
        choice.value === 'object'
          ? { nested: { deep: 1 } }
          : choice.value === 'array'
            ? ['a', 1]
            : choice.value
      return new Y.ContentAny([value])
    }
    case 'deleted':
      return new Y.ContentDeleted(choice.len)
    case 'embed':
      return new Y.ContentEmbed({ image: 'x' })
    case 'gc':
      return 'gc'
  }
}

function newItem(
  client: number,
  origin: Y.ID | null,
  rightOrigin: Y.ID | null,
  parent: string | Y.ID | null,
  sub: string | null,
  choice: ContentChoice,
): Y.Item | Y.GC {
  const content = contentOf(choice)
  const id = Y.createID(client, 0)
  if (content === 'gc') return new Y.GC(id, (choice as { len: number }).len)
  // With neither origin nor right origin, Item.write needs a parent: the body stands in for a missing one.
  const declared = origin || rightOrigin ? parent : (parent ?? BODY_FIELD)
  return new Y.Item(id, null, origin, null, rightOrigin, declared as never, sub, content as never)
}

/** A struct of a mutable draft: an Item keeps its fields writable; GC and Skip have none. */
function asItem(struct: Struct): Y.Item | null {
  return struct instanceof Y.Item ? struct : null
}

function draftsOf(structs: Struct[]): Draft[] {
  return structs.map((struct) => ({
    struct,
    oldClient: struct.id.client,
    oldClock: struct.id.clock,
    oldLength: struct.length,
    client: struct.id.client,
    fixed: {},
    self: {},
  }))
}

/**
 * Gives every struct its final client and clock (consecutive per client from `starts`), and moves references to
 * the update's own structs along with them unless a mutation set them.
 */
function finalize(drafts: Draft[], starts: Map<number, number>): Map<Draft, Y.ID> {
  const next = new Map<number, number>()
  const placed = new Map<Draft, Y.ID>()
  for (const draft of drafts) {
    const clock = next.get(draft.client) ?? starts.get(draft.client) ?? draft.oldClock
    placed.set(draft, Y.createID(draft.client, clock))
    next.set(draft.client, clock + draft.struct.length)
  }
  // The drafts that came with clocks of their own, per client in clock order, for a binary search.
  const byOldClient = new Map<number, Draft[]>()
  for (const draft of drafts) {
    if (draft.oldLength <= 0) continue
    const list = byOldClient.get(draft.oldClient) ?? []
    list.push(draft)
    byOldClient.set(draft.oldClient, list)
  }
  for (const list of byOldClient.values()) list.sort((a, b) => a.oldClock - b.oldClock)
  const moved = (id: Y.ID | null): Y.ID | null => {
    const list = id && byOldClient.get(id.client)
    if (!id || !list) return id
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const draft = list[mid]!
      if (id.clock < draft.oldClock) high = mid - 1
      else if (id.clock >= draft.oldClock + draft.oldLength) low = mid + 1
      else {
        const at = placed.get(draft)!
        const offset = Math.max(0, Math.min(id.clock - draft.oldClock, draft.struct.length - 1))
        return Y.createID(at.client, at.clock + offset)
      }
    }
    return id
  }
  const lastOf = (draft: Draft) => {
    const at = placed.get(draft)!
    return Y.createID(at.client, at.clock + draft.struct.length - 1)
  }
  drafts.forEach((draft, i) => {
    const item = asItem(draft.struct)
    if (!item) return
    const self = (back: number | undefined) =>
      back === undefined ? undefined : drafts[Math.max(0, i - back)]
    const origin = self(draft.self.origin)
    const right = self(draft.self.rightOrigin)
    const parent = self(draft.self.parent)
    if (origin && origin !== draft) item.origin = lastOf(origin)
    else if (!draft.fixed.origin) item.origin = moved(item.origin)
    if (right && right !== draft) item.rightOrigin = placed.get(right)!
    else if (!draft.fixed.rightOrigin) item.rightOrigin = moved(item.rightOrigin)
    if (parent && parent !== draft) item.parent = placed.get(parent)! as never
    else if (!draft.fixed.parent && item.parent instanceof Y.ID) item.parent = moved(item.parent) as never
  })
  for (const draft of drafts) draft.struct.id = placed.get(draft)!
  return placed
}

/** Encodes structs (consecutive per client, already numbered) and a delete set in the chosen layout (V1). */
export function encodeStructs(
  structs: Struct[],
  deletes: { client: number; clock: number; len: number }[],
  layout: Layout,
  helperClient: () => number,
): Uint8Array {
  const byClient = new Map<number, Struct[]>()
  for (const struct of structs) {
    const list = byClient.get(struct.id.client) ?? []
    list.push(struct)
    byClient.set(struct.id.client, list)
  }
  let groups = [...byClient.entries()]
    .sort((a, b) => (layout === 'ascending' ? a[0] - b[0] : b[0] - a[0]))
    .map(([client, list]) => ({ client, list }))
  if ((layout === 'split' || layout === 'splitReversed') && groups.length > 0) {
    let index = groups.findIndex((g) => g.list.length >= 2)
    if (index < 0) {
      // One struct only: a run of text is split in two, as Yjs writes two keystrokes.
      index = groups.findIndex(
        (g) => g.list[0] instanceof Y.Item && g.list[0].content instanceof Y.ContentString,
      )
      if (index >= 0) {
        const item = groups[index]!.list[0] as Y.Item
        if (item.length >= 2) {
          const content = item.content as Y.ContentString
          const first = new Y.Item(
            item.id,
            null,
            item.origin,
            null,
            item.rightOrigin,
            item.parent as never,
            item.parentSub,
            new Y.ContentString(content.str.slice(0, 1)),
          )
          const second = new Y.Item(
            Y.createID(item.id.client, item.id.clock + 1),
            null,
            item.id,
            null,
            item.rightOrigin,
            null,
            null,
            new Y.ContentString(content.str.slice(1)),
          )
          groups[index] = { client: groups[index]!.client, list: [first, second] }
        } else index = -1
      }
    }
    if (index >= 0) {
      const group = groups[index]!
      const half = Math.ceil(group.list.length / 2)
      const head = { client: group.client, list: group.list.slice(0, half) }
      const tail = { client: group.client, list: group.list.slice(half) }
      const others = groups.filter((_, i) => i !== index)
      if (others.length === 0) {
        // Another client's group to stand between the two halves: one collected clock of a fresh client.
        const client = helperClient()
        others.push({ client, list: [new Y.GC(Y.createID(client, 0), 1)] })
      }
      groups = layout === 'split' ? [head, ...others, tail] : [tail, ...others, head]
    }
  }
  const encoder = new Y.UpdateEncoderV1()
  const rest = encoder.restEncoder
  encoding.writeVarUint(rest, groups.length)
  for (const { client, list } of groups) {
    encoding.writeVarUint(rest, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(rest, list[0]!.id.clock)
    for (const struct of list) struct.write(encoder, 0)
  }
  const entries: [number, { clock: number; len: number }[]][] = []
  if (layout === 'scatteredDeletes')
    for (const d of deletes) entries.push([d.client, [{ clock: d.clock, len: d.len }]])
  else {
    const byDeleteClient = new Map<number, { clock: number; len: number }[]>()
    for (const d of deletes) {
      const list = byDeleteClient.get(d.client) ?? []
      list.push({ clock: d.clock, len: d.len })
      byDeleteClient.set(d.client, list)
    }
    for (const [client, list] of byDeleteClient)
      entries.push([client, list.sort((a, b) => a.clock - b.clock)])
  }
  encoding.writeVarUint(rest, entries.length)
  for (const [client, ranges] of entries) {
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

function deletesOfUpdate(ds: { clients: Map<number, { clock: number; len: number }[]> }) {
  const out: { client: number; clock: number; len: number }[] = []
  for (const [client, ranges] of ds.clients)
    for (const { clock, len } of ranges) out.push({ client, clock, len })
  return out
}

/** Builds the attack's bytes against the server's present document; null when there was nothing to build on. */
export function buildAttack(context: AttackContext, spec: AttackSpec): BuiltAttack | null {
  const resolve = new Resolver(context)
  switch (spec.kind) {
    case 'mutated':
      return buildMutated(resolve, spec)
    case 'handmade':
      return buildHandmade(resolve, spec)
    case 'nest':
      return buildNest(resolve, spec)
    case 'attribute':
      return buildAttribute(resolve, spec)
    case 'deletes': {
      const ranges = spec.ranges.flatMap((r) => resolve.deletes(r))
      if (ranges.length === 0) return null
      return { bytes: encodeStructs([], ranges, spec.layout, () => context.fresh()), clients: [] }
    }
  }
}

function finish(
  resolve: Resolver,
  drafts: Draft[],
  starts: Map<number, number>,
  deletes: { client: number; clock: number; len: number }[],
  selfDeletes: { back: number; len: number }[],
  layout: Layout,
): BuiltAttack | null {
  const kept = drafts.filter((d) => d.struct.length > 0)
  if (kept.length === 0 && deletes.length === 0 && selfDeletes.length === 0) return null
  const placed = finalize(kept, starts)
  const ranges = [...deletes]
  for (const { back, len } of selfDeletes) {
    const draft = kept[Math.max(0, kept.length - 1 - back)]
    const at = draft && placed.get(draft)
    if (at)
      ranges.push({
        client: at.client,
        clock: at.clock,
        len: Math.max(1, Math.min(len, draft.struct.length)),
      })
  }
  const bytes = encodeStructs(
    kept.map((d) => d.struct),
    ranges,
    layout,
    () => resolve.context.fresh(),
  )
  return { bytes, clients: [...new Set(kept.map((d) => d.client))] }
}

function buildMutated(resolve: Resolver, spec: Extract<AttackSpec, { kind: 'mutated' }>): BuiltAttack | null {
  const { context } = resolve
  const fork = new Y.Doc({ gc: true })
  Y.applyUpdate(
    fork,
    Y.encodeStateAsUpdate(spec.source === 'stale' && context.stale ? context.stale : context.doc),
  )
  fork.clientID = resolve.client(spec.as)
  const before = Y.encodeStateVector(fork)
  const edited = applyEdit(
    fork.getXmlFragment(BODY_FIELD),
    { protection: context.protection, newClauseId: () => context.newClauseId() },
    spec.role,
    spec.edit,
  )
  if (!edited) {
    fork.destroy()
    return null
  }
  const update = Y.encodeStateAsUpdate(fork, before)
  fork.destroy()
  const decoded = Y.decodeUpdate(update) as unknown as {
    structs: Struct[]
    ds: { clients: Map<number, { clock: number; len: number }[]> }
  }
  const drafts = draftsOf(decoded.structs)
  const starts = new Map<number, number>()
  let deletes = deletesOfUpdate(decoded.ds)
  const selfDeletes: { back: number; len: number }[] = []
  const at = (index: number) => (drafts.length > 0 ? drafts[index % drafts.length]! : undefined)
  for (const mutation of spec.mutations) {
    switch (mutation.m) {
      case 'client': {
        const first = drafts[0]
        if (!first) break
        const from = first.client
        const to = resolve.client(mutation.who)
        const state = resolve.state(to)
        const start =
          mutation.start === 'keep'
            ? (starts.get(from) ?? first.oldClock)
            : mutation.start === 'continue'
              ? state
              : Math.max(0, state - 1 - (mutation.k % Math.max(1, state)))
        for (const d of drafts) if (d.client === from) d.client = to
        starts.delete(from)
        starts.set(to, start)
        break
      }
      case 'overlap': {
        const first = drafts[0]
        if (!first) break
        const start = starts.get(first.client) ?? first.oldClock
        if (start === 0) break
        starts.set(first.client, start - 1 - (mutation.k % start))
        break
      }
      case 'origin':
      case 'rightOrigin': {
        const draft = at(mutation.index)
        const item = draft && asItem(draft.struct)
        if (!draft || !item) break
        const field = mutation.m
        if (mutation.to?.ref === 'self') {
          draft.self[field] = mutation.to.back + 1
          break
        }
        const id = mutation.to ? resolve.id(mutation.to) : null
        if (mutation.to && !id) break
        const other = field === 'origin' ? item.rightOrigin : item.origin
        if (!id && !other) {
          // Neither origin left: the wire then carries a parent, so one must be declared.
          if (item.parent === null) item.parent = BODY_FIELD as never
        }
        item[field] = id
        draft.fixed[field] = true
        delete draft.self[field]
        break
      }
      case 'parent': {
        const draft = at(mutation.index)
        const item = draft && asItem(draft.struct)
        if (!draft || !item) break
        if (mutation.to.parent === 'self') {
          draft.self.parent = mutation.to.back + 1
          item.parent = BODY_FIELD as never
        } else {
          const parent = resolve.parent(mutation.to)
          if (parent === null) break
          item.parent = parent as never
        }
        item.origin = null
        item.rightOrigin = null
        item.parentSub = mutation.sub
        draft.fixed = { origin: true, rightOrigin: true, parent: mutation.to.parent !== 'self' }
        delete draft.self.origin
        delete draft.self.rightOrigin
        break
      }
      case 'swap': {
        const draft = at(mutation.index)
        const item = draft && asItem(draft.struct)
        if (!draft || !item || (!item.origin && !item.rightOrigin)) break
        const { origin, rightOrigin } = item
        item.origin = rightOrigin
        item.rightOrigin = origin
        break
      }
      case 'content': {
        const index = drafts.length > 0 ? mutation.index % drafts.length : -1
        const draft = drafts[index]
        const item = draft && asItem(draft.struct)
        if (!draft || !item) break
        const content = contentOf(mutation.to)
        if (content === 'gc') draft.struct = new Y.GC(item.id, (mutation.to as { len: number }).len)
        else item.content = content as never
        // An Item's length is its content's.
        if (draft.struct instanceof Y.Item) draft.struct.length = draft.struct.content.getLength()
        break
      }
      case 'delete':
        if (mutation.range.del === 'self')
          selfDeletes.push({ back: mutation.range.back, len: mutation.range.len })
        else deletes.push(...resolve.deletes(mutation.range))
        break
      case 'dropDeletes':
        deletes = []
        selfDeletes.length = 0
        break
    }
  }
  return finish(resolve, drafts, starts, deletes, selfDeletes, spec.layout)
}

function buildHandmade(
  resolve: Resolver,
  spec: Extract<AttackSpec, { kind: 'handmade' }>,
): BuiltAttack | null {
  const client = resolve.client(spec.as)
  const state = resolve.state(client)
  const start =
    spec.start === 'continue'
      ? state
      : spec.start === 'gap'
        ? state + 1 + (spec.k % 4)
        : Math.max(0, state - 1 - (spec.k % Math.max(1, state)))
  const drafts: Draft[] = []
  for (const raw of spec.structs) {
    const origin = raw.origin && raw.origin.ref !== 'self' ? resolve.id(raw.origin) : null
    const rightOrigin = raw.rightOrigin && raw.rightOrigin.ref !== 'self' ? resolve.id(raw.rightOrigin) : null
    const selfOrigin = raw.origin?.ref === 'self' && drafts.length > 0
    const selfRight = raw.rightOrigin?.ref === 'self' && drafts.length > 0
    const selfParent = raw.parent.parent === 'self' && drafts.length > 0
    const parent = raw.parent.parent === 'self' ? null : resolve.parent(raw.parent)
    const placeholder = selfOrigin ? Y.createID(client, 0) : origin
    const item = newItem(
      client,
      placeholder,
      selfRight ? Y.createID(client, 0) : rightOrigin,
      selfParent ? Y.createID(client, 0) : parent,
      raw.sub,
      raw.content,
    )
    const draft: Draft = {
      struct: item,
      oldClient: client,
      oldClock: -1,
      oldLength: 0,
      client,
      fixed: { origin: true, rightOrigin: true, parent: true },
      self: {},
    }
    if (selfOrigin) draft.self.origin = ((raw.origin as { back: number }).back % drafts.length) + 1
    if (selfRight) draft.self.rightOrigin = ((raw.rightOrigin as { back: number }).back % drafts.length) + 1
    if (selfParent) draft.self.parent = ((raw.parent as { back: number }).back % drafts.length) + 1
    drafts.push(draft)
  }
  const deletes = spec.deletes.filter((d) => d.del !== 'self').flatMap((d) => resolve.deletes(d))
  const selfDeletes = spec.deletes.flatMap((d) => (d.del === 'self' ? [{ back: d.back, len: d.len }] : []))
  return finish(resolve, drafts, new Map([[client, start]]), deletes, selfDeletes, spec.layout)
}

function buildNest(resolve: Resolver, spec: Extract<AttackSpec, { kind: 'nest' }>): BuiltAttack | null {
  const client = resolve.client(spec.as)
  const parent = spec.under.parent === 'self' ? BODY_FIELD : resolve.parent(spec.under)
  if (parent === null) return null
  // How deep the parent already is: the chain's elements start one level below it.
  let base = 0
  if (parent instanceof Y.ID) {
    const struct = Y.getItem(resolve.context.doc.store, parent)
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentType)
      base = typeDepth(struct.content.type as Type)
  }
  const length = spec.length ?? Math.max(1, MAX_NESTING + spec.delta - base)
  const drafts: Draft[] = []
  const state = resolve.state(client)
  for (let i = 0; i < length; i++) {
    const declared = i === 0 ? parent : Y.createID(client, state + i - 1)
    const item = newItem(client, null, null, declared, null, { c: 'element', name: spec.node })
    drafts.push({
      struct: item,
      oldClient: client,
      oldClock: state + i,
      oldLength: 1,
      client,
      fixed: {},
      self: {},
    })
  }
  if (spec.link === 'origin' && length >= 3) {
    // The second element of each level pair sits beside the first (its origin) instead of naming the parent:
    // the chain then goes through an origin, which Yjs follows to the same parent.
    const sibling = newItem(client, Y.createID(client, state + 1), null, null, null, {
      c: 'element',
      name: spec.node,
    })
    drafts.splice(2, 0, {
      struct: sibling,
      oldClient: client,
      oldClock: -1,
      oldLength: 0,
      client,
      fixed: {},
      self: { origin: 1 },
    })
    // The next level's parent is the sibling, reached through the origin.
    const next = drafts[3]
    if (next) {
      next.self.parent = 1
      next.fixed.parent = true
    }
  }
  if (spec.leafText) {
    const leaf = newItem(client, null, null, BODY_FIELD, null, { c: 'xmlText' })
    drafts.push({
      struct: leaf,
      oldClient: client,
      oldClock: -1,
      oldLength: 0,
      client,
      fixed: {},
      self: { parent: 1 },
    })
    const chars = newItem(client, null, null, BODY_FIELD, null, { c: 'string', text: 'deep' })
    drafts.push({
      struct: chars,
      oldClient: client,
      oldClock: -1,
      oldLength: 0,
      client,
      fixed: {},
      self: { parent: 1 },
    })
  }
  const built = finish(resolve, drafts, new Map([[client, state]]), [], [], spec.layout)
  return built && { ...built, deepest: base + length + (spec.leafText ? 1 : 0) }
}

function buildAttribute(
  resolve: Resolver,
  spec: Extract<AttackSpec, { kind: 'attribute' }>,
): BuiltAttack | null {
  const clause = resolve.clause(spec.role, spec.pick)
  if (!clause?._item) return null
  const client = resolve.client(spec.as)
  const present = clause._map.get(spec.key)
  let origin: Y.ID | null = null
  let rightOrigin: Y.ID | null = null
  let parent: Y.ID | null = null
  if (spec.mode === 'origin' && present)
    origin = Y.createID(present.id.client, present.id.clock + present.length - 1)
  else if (spec.mode === 'rightOrigin' && present) rightOrigin = present.id
  else parent = clause._item.id
  const item = newItem(client, origin, rightOrigin, parent, parent ? spec.key : null, spec.value)
  const draft: Draft = {
    struct: item,
    oldClient: client,
    oldClock: -1,
    oldLength: 0,
    client,
    fixed: { origin: true, rightOrigin: true, parent: true },
    self: {},
  }
  return finish(resolve, [draft], new Map([[client, resolve.state(client)]]), [], [], spec.layout)
}

// ---------------------------------------------------------------------------------------------------------------
// Describing an update for a counterexample

/** One line per struct and delete range: what the update says, field by field. */
export function describeUpdate(bytes: Uint8Array): string {
  let decoded: { structs: Struct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } }
  try {
    decoded = Y.decodeUpdate(bytes) as never
  } catch (error) {
    return `undecodable (${(error as Error).message})`
  }
  const id = (x: Y.ID | null) => (x ? `${x.client}:${x.clock}` : '-')
  const lines = decoded.structs.map((s) => {
    if (!(s instanceof Y.Item)) return `${s.constructor.name} ${id(s.id)} len ${s.length}`
    const parent =
      s.parent instanceof Y.ID
        ? `id ${id(s.parent)}`
        : typeof s.parent === 'string'
          ? `root ${s.parent}`
          : '-'
    const content = s.content
    const what =
      content instanceof Y.ContentString
        ? `string ${JSON.stringify(content.str)}`
        : content instanceof Y.ContentType
          ? `type ${(content.type as unknown as { nodeName?: string }).nodeName ?? content.type.constructor.name}`
          : content instanceof Y.ContentAny
            ? `any ${JSON.stringify(content.arr)}`
            : content instanceof Y.ContentFormat
              ? `format ${content.key}=${JSON.stringify(content.value)}`
              : content.constructor.name
    return `item ${id(s.id)} len ${s.length} origin ${id(s.origin)} right ${id(s.rightOrigin)} parent ${parent} sub ${s.parentSub ?? '-'} ${what}`
  })
  for (const [client, ranges] of decoded.ds.clients)
    for (const r of ranges) lines.push(`delete ${client}:${r.clock} len ${r.len}`)
  return lines.join('\n')
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

const pick = fc.nat(10_000)
const at = fc.nat(10_000)
const word = fc.string({ unit: fc.constantFrom(...'abcxyz AB.'), minLength: 1, maxLength: 6 })
const role = fc.constantFrom<ClauseRole>(
  'open',
  'open',
  'agreed',
  'agreed',
  'agreed',
  'required',
  'ancestor',
  'agreedChild',
)
const clientChoice = fc.constantFrom<ClientChoice>(
  'own',
  'own',
  'own',
  'fresh',
  'other',
  'seed',
  'server',
  'reader',
)

/**
 * Honest edits: text, formatting, blocks (Enter makes an empty one), sub-clauses and kinds, in clauses the editor
 * may edit; with `structure`, also typing into empty paragraphs and removing blocks and clauses. `focus` keeps
 * the editors in the first few clauses and blocks, so that their edits meet as in a meeting.
 */
export function editOp(options: { structure: boolean; focus?: boolean }): fc.Arbitrary<EditOp> {
  const pick = options.focus ? fc.nat(2) : fc.nat(10_000)
  const at = options.focus ? fc.nat(3) : fc.nat(10_000)
  const paragraphText = fc.oneof(word, fc.constant(''))
  const ops: fc.WeightedArbitrary<EditOp>[] = [
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('type' as const),
        pick,
        field: fc.constantFrom('heading' as const, 'text' as const),
        at,
        text: word,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('erase' as const),
        pick,
        at,
        length: fc.integer({ min: 1, max: 5 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('format' as const),
        pick,
        at,
        length: fc.integer({ min: 1, max: 5 }),
        mark: fc.constantFrom('bold' as const, 'italic' as const),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('paragraph' as const), pick, text: paragraphText }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('subclause' as const), pick }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('kind' as const),
        pick,
        value: fc.constantFrom<ClauseKind>('numbered', 'annex', 'unnumbered'),
      }),
    },
  ]
  if (options.structure)
    ops.push(
      { weight: 2, arbitrary: fc.record({ op: fc.constant('fill' as const), pick, text: word }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('removeBlock' as const), pick, at }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('removeClause' as const), pick }) },
    )
  return fc.oneof(...ops)
}

/** What a hostile replica starts from: every honest edit, attribute writes included. */
const baseEdit: fc.Arbitrary<EditOp> = fc.oneof(
  { weight: 4, arbitrary: editOp({ structure: true }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('attribute' as const),
      pick,
      key: fc.constantFrom('id' as const, 'kind' as const, 'data-x' as const),
      value: fc.constantFrom('annex', 'appendix', 'dup', 'x'),
    }),
  },
)

export const idRef: fc.Arbitrary<IdRef> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ ref: fc.constant('text' as const), role, pick, at }) },
  { weight: 2, arbitrary: fc.record({ ref: fc.constant('block' as const), role, pick, at }) },
  { weight: 2, arbitrary: fc.record({ ref: fc.constant('clause' as const), role, pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      ref: fc.constant('attribute' as const),
      role,
      pick,
      key: fc.constantFrom('id' as const, 'kind' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ ref: fc.constant('ancestor' as const), pick, at }) },
  { weight: 1, arbitrary: fc.record({ ref: fc.constant('deleted' as const), pick, at }) },
  { weight: 1, arbitrary: fc.record({ ref: fc.constant('gc' as const), pick, at }) },
  { weight: 1, arbitrary: fc.record({ ref: fc.constant('last' as const), who: clientChoice }) },
  {
    weight: 1,
    arbitrary: fc.record({ ref: fc.constant('unknown' as const), who: clientChoice, ahead: fc.nat(3) }),
  },
  { weight: 1, arbitrary: fc.record({ ref: fc.constant('self' as const), back: fc.nat(3) }) },
)

export const parentRef: fc.Arbitrary<ParentRef> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ parent: 'root' as const }) },
  { weight: 1, arbitrary: fc.constant({ parent: 'otherRoot' as const }) },
  { weight: 3, arbitrary: fc.record({ parent: fc.constant('clause' as const), role, pick }) },
  { weight: 3, arbitrary: fc.record({ parent: fc.constant('text' as const), role, pick, at }) },
  { weight: 2, arbitrary: fc.record({ parent: fc.constant('block' as const), role, pick, at }) },
  { weight: 1, arbitrary: fc.record({ parent: fc.constant('char' as const), role, pick, at }) },
  { weight: 1, arbitrary: fc.record({ parent: fc.constant('deleted' as const), pick, at }) },
  { weight: 1, arbitrary: fc.record({ parent: fc.constant('gc' as const), pick, at }) },
  { weight: 1, arbitrary: fc.record({ parent: fc.constant('ancestor' as const), pick, at }) },
  { weight: 1, arbitrary: fc.record({ parent: fc.constant('self' as const), back: fc.nat(3) }) },
)

export const contentChoice: fc.Arbitrary<ContentChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ c: fc.constant('string' as const), text: word }) },
  {
    weight: 1,
    arbitrary: fc.record({
      c: fc.constant('format' as const),
      key: fc.constantFrom('bold' as const, 'italic' as const),
      on: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      c: fc.constant('element' as const),
      name: fc.constantFrom('clause' as const, 'paragraph' as const, 'clauseHeading' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ c: 'xmlText' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      c: fc.constant('any' as const),
      value: fc.constantFrom(
        'annex' as const,
        'appendix' as const,
        'x' as const,
        42 as const,
        null,
        'object' as const,
        'array' as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ c: fc.constant('deleted' as const), len: fc.integer({ min: 1, max: 4 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ c: 'embed' as const }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('gc' as const), len: fc.integer({ min: 1, max: 4 }) }) },
)

export const deleteRef: fc.Arbitrary<DeleteRef> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      del: fc.constant('text' as const),
      role,
      pick,
      at,
      len: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ del: fc.constant('clause' as const), role, pick }) },
  { weight: 2, arbitrary: fc.record({ del: fc.constant('block' as const), role, pick, at }) },
  {
    weight: 2,
    arbitrary: fc.record({
      del: fc.constant('attribute' as const),
      role,
      pick,
      key: fc.constantFrom('id' as const, 'kind' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ del: fc.constant('ancestor' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ del: fc.constant('deleted' as const), pick, widen: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ del: fc.constant('client' as const), who: clientChoice }) },
  {
    weight: 1,
    arbitrary: fc.record({
      del: fc.constant('unknown' as const),
      who: clientChoice,
      len: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      del: fc.constant('self' as const),
      back: fc.nat(3),
      len: fc.integer({ min: 1, max: 4 }),
    }),
  },
)

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      m: fc.constant('client' as const),
      who: clientChoice,
      start: fc.constantFrom('keep' as const, 'continue' as const, 'overlap' as const),
      k: fc.nat(50),
    }),
  },
  { weight: 3, arbitrary: fc.record({ m: fc.constant('overlap' as const), k: fc.nat(50) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      m: fc.constant('origin' as const),
      index: fc.nat(20),
      to: fc.option(idRef, { nil: null, freq: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      m: fc.constant('rightOrigin' as const),
      index: fc.nat(20),
      to: fc.option(idRef, { nil: null, freq: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      m: fc.constant('parent' as const),
      index: fc.nat(20),
      to: parentRef,
      sub: fc.constantFrom(null, null, 'id' as const, 'kind' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ m: fc.constant('swap' as const), index: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({ m: fc.constant('content' as const), index: fc.nat(20), to: contentChoice }),
  },
  { weight: 3, arbitrary: fc.record({ m: fc.constant('delete' as const), range: deleteRef }) },
  { weight: 1, arbitrary: fc.constant({ m: 'dropDeletes' as const }) },
)

export const layout = (options: { groups: boolean }): fc.Arbitrary<Layout> =>
  options.groups
    ? fc.constantFrom<Layout>('plain', 'plain', 'ascending', 'split', 'splitReversed', 'scatteredDeletes')
    : fc.constantFrom<Layout>('plain', 'plain', 'plain', 'ascending', 'scatteredDeletes')

const rawStruct: fc.Arbitrary<RawStruct> = fc.record({
  origin: fc.option(idRef, { nil: null, freq: 3 }),
  rightOrigin: fc.option(idRef, { nil: null, freq: 2 }),
  parent: parentRef,
  sub: fc.constantFrom(null, null, null, 'id' as const, 'kind' as const, 'x' as const),
  content: contentChoice,
})

export interface AttackOptions {
  /** Also lay client groups out as Yjs never does (one client in two groups). */
  groups: boolean
}

export function mutatedAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  return fc.record({
    kind: fc.constant('mutated' as const),
    source: fc.constantFrom('server' as const, 'server' as const, 'stale' as const),
    as: clientChoice,
    role,
    edit: baseEdit,
    mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
    layout: layout(options),
  })
}

export function handmadeAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  return fc.record({
    kind: fc.constant('handmade' as const),
    as: clientChoice,
    start: fc.constantFrom('continue' as const, 'continue' as const, 'overlap' as const, 'gap' as const),
    k: fc.nat(50),
    structs: fc.array(rawStruct, { minLength: 1, maxLength: 4 }),
    deletes: fc.array(deleteRef, { maxLength: 2 }),
    layout: layout(options),
  })
}

/**
 * A struct under the sender's own clientID that starts one to three clocks below what the server holds of it, and
 * declares a parent (an open or an agreed clause's text) but no origin: the server keeps only its new part, whose
 * origin becomes the sender's last stored clock, and that one decides where it lands (in an agreed clause when the
 * sender last wrote there; in an open one otherwise, whatever the declared parent says).
 */
export function overlapAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  const first: fc.Arbitrary<RawStruct> = fc.record({
    origin: fc.constant(null),
    rightOrigin: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ ref: fc.constant('text' as const), role, pick, at }) },
    ),
    parent: fc.record({
      parent: fc.constant('text' as const),
      role: fc.constantFrom<ClauseRole>('open', 'agreed'),
      pick,
      at,
    }),
    sub: fc.constant(null),
    content: fc.record({
      c: fc.constant('string' as const),
      text: fc.string({ unit: fc.constantFrom(...'abcxyz'), minLength: 4, maxLength: 8 }),
    }),
  })
  return fc.record({
    kind: fc.constant('handmade' as const),
    as: fc.constantFrom<ClientChoice>('own', 'own', 'own', 'other', 'seed'),
    start: fc.constant('overlap' as const),
    k: fc.nat(2),
    structs: fc.tuple(first, fc.array(rawStruct, { maxLength: 1 })).map(([a, rest]) => [a, ...rest]),
    deletes: fc.constant<DeleteRef[]>([]),
    layout: layout(options),
  })
}

/**
 * Structs whose origin and right origin disagree, aimed where they are accepted (open clauses, the body): no
 * origin with a right origin in the middle of a list, origin and right origin in different lists, or the right
 * origin to the left of the origin. No honest Yjs writes these; Yjs still integrates them, in an order that
 * depends on what the replica already holds.
 */
export function disagreeingAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  const openRole = fc.constantFrom<ClauseRole>('open', 'open', 'agreedChild', 'ancestor')
  const near = fc.nat(3)
  const openRef: fc.Arbitrary<IdRef> = fc.oneof(
    fc.record({ ref: fc.constant('text' as const), role: openRole, pick: near, at: near }),
    fc.record({ ref: fc.constant('block' as const), role: openRole, pick: near, at: near }),
    fc.record({ ref: fc.constant('clause' as const), role: openRole, pick: near }),
  )
  const struct: fc.Arbitrary<RawStruct> = fc.record({
    origin: fc.option(openRef, { nil: null, freq: 2 }),
    rightOrigin: openRef,
    parent: fc.constant({ parent: 'root' as const }),
    sub: fc.constant(null),
    content: fc.oneof(
      fc.record({ c: fc.constant('string' as const), text: word }),
      fc.record({
        c: fc.constant('element' as const),
        name: fc.constantFrom('paragraph' as const, 'clause' as const),
      }),
    ),
  })
  return fc.record({
    kind: fc.constant('handmade' as const),
    as: fc.constantFrom<ClientChoice>('own', 'fresh', 'fresh'),
    start: fc.constant('continue' as const),
    k: fc.constant(0),
    structs: fc.array(struct, { minLength: 1, maxLength: 2 }),
    deletes: fc.constant<DeleteRef[]>([]),
    layout: layout(options),
  })
}

export function nestAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  return fc.record({
    kind: fc.constant('nest' as const),
    as: fc.constantFrom<ClientChoice>('own', 'own', 'fresh'),
    under: fc.oneof(
      fc.constant({ parent: 'root' as const }),
      fc.record({
        parent: fc.constant('clause' as const),
        role: fc.constantFrom<ClauseRole>('open', 'open', 'agreed', 'agreedChild'),
        pick,
      }),
      fc.record({
        parent: fc.constant('block' as const),
        role: fc.constantFrom<ClauseRole>('open', 'agreed'),
        pick,
        at,
      }),
    ),
    delta: fc.constantFrom(-3, -2, -1, 0, 0, 1, 2, 3),
    length: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom(200, 1500) },
    ),
    node: fc.constantFrom('clause' as const, 'paragraph' as const, 'blockquote' as const),
    link: fc.constantFrom('parent' as const, 'origin' as const),
    leafText: fc.boolean(),
    layout: layout(options),
  })
}

export function attributeAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  return fc.record({
    kind: fc.constant('attribute' as const),
    as: fc.constantFrom<ClientChoice>('own', 'own', 'fresh', 'other', 'seed'),
    role,
    pick,
    key: fc.constantFrom('id' as const, 'kind' as const),
    mode: fc.constantFrom('parent' as const, 'origin' as const, 'origin' as const, 'rightOrigin' as const),
    value: fc.oneof(
      fc.record({
        c: fc.constant('any' as const),
        value: fc.constantFrom('annex' as const, 'appendix' as const, 'x' as const, null),
      }),
      contentChoice,
    ),
    layout: layout(options),
  })
}

export function deletesAttack(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  return fc.record({
    kind: fc.constant('deletes' as const),
    ranges: fc.array(deleteRef, { minLength: 1, maxLength: 4 }),
    layout: layout(options),
  })
}

/** Any attack, weighted towards mutated real updates. */
export function attackSpec(options: AttackOptions): fc.Arbitrary<AttackSpec> {
  return fc.oneof(
    { weight: 5, arbitrary: mutatedAttack(options) },
    { weight: 2, arbitrary: handmadeAttack(options) },
    { weight: 1, arbitrary: overlapAttack(options) },
    { weight: 1, arbitrary: nestAttack(options) },
    { weight: 2, arbitrary: attributeAttack(options) },
    { weight: 2, arbitrary: deletesAttack(options) },
  )
}
