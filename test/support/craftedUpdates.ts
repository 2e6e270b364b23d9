/**
 * Hand-written Yjs updates (V1 format) for hostile-client tests: each struct says exactly what goes on the wire,
 * including what no honest Yjs client writes (a struct overlapping stored clocks, an origin in one type and a
 * clock in another, an attribute item without its key). Structs are encoded by Yjs's own `Item.write` /
 * `GC.write` (yjs/src/structs/Item.js), the update framing as `writeClientsStructs` and `writeDeleteSet` do
 * (yjs/src/utils/encoding.js, DeleteSet.js). Also: helpers that find the stored items an attack aims at in a
 * replica's `Y.Doc`.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { clauseByTitle } from './syncClients.ts'

export interface IdLike {
  client: number
  clock: number
}

export type CraftedContent =
  /** Text (ContentString): one clock per UTF-16 unit. */
  | { string: string }
  /** A deleted run (ContentDeleted) of this many clocks. */
  | { deleted: number }
  /** An XML element (ContentType holding a Y.XmlElement of this node name). */
  | { element: string }
  /** An XML text (ContentType holding a Y.XmlText). */
  | { xmlText: true }
  /** JSON values (ContentAny): how attribute values and map entries are stored. */
  | { any: unknown[] }
  /** A formatting mark (ContentFormat) in a text: `[key, value]`, value null ends the mark. */
  | { format: [string, unknown] }
  /** A garbage-collected run (GC struct), this many clocks. */
  | { gc: number }

export interface CraftedStruct {
  client: number
  clock: number
  /** The item to the left when it was created. With an origin or right origin, the wire carries no parent. */
  origin?: IdLike
  rightOrigin?: IdLike
  /** Only without origin and right origin: a type's item id, or a root type's name. */
  parent?: { id: IdLike } | { root: string }
  /**
   * The map key (attribute name). Written only with a `parent` (as Yjs does); with an origin it only sets the
   * info flag, and the receiver takes the key from the origin's item.
   */
  parentSub?: string
  content: CraftedContent
}

export interface CraftedUpdate {
  /** Grouped by client in order of first appearance; each client's structs must be consecutive clocks. */
  structs: CraftedStruct[]
  deletes?: { client: number; clock: number; len: number }[]
}

const toId = (id: IdLike) => Y.createID(id.client, id.clock)

type Content = Y.ContentString | Y.ContentDeleted | Y.ContentType | Y.ContentAny | Y.ContentFormat

function contentOf(content: CraftedContent): Content {
  if ('string' in content) return new Y.ContentString(content.string)
  if ('deleted' in content) return new Y.ContentDeleted(content.deleted)
  if ('element' in content) return new Y.ContentType(new Y.XmlElement(content.element))
  if ('xmlText' in content) return new Y.ContentType(new Y.XmlText())
  if ('any' in content) return new Y.ContentAny(content.any)
  if ('format' in content) return new Y.ContentFormat(content.format[0], content.format[1] as object)
  throw new Error(`no content kind in ${JSON.stringify(content)}`)
}

/** How many clocks a struct takes. */
export function lengthOf(content: CraftedContent): number {
  return 'gc' in content ? content.gc : contentOf(content).getLength()
}

function structOf(spec: CraftedStruct): Y.Item | Y.GC {
  const id = Y.createID(spec.client, spec.clock)
  if ('gc' in spec.content) return new Y.GC(id, spec.content.gc)
  const origin = spec.origin ? toId(spec.origin) : null
  const rightOrigin = spec.rightOrigin ? toId(spec.rightOrigin) : null
  if ((origin || rightOrigin) && spec.parent)
    throw new Error('the V1 format carries no parent for a struct with an origin or right origin')
  if (!origin && !rightOrigin && !spec.parent)
    throw new Error('a struct without origin and right origin needs a parent')
  // Item.write reads a string parent as a root type's name and an ID as a type's item.
  const parent = spec.parent ? ('root' in spec.parent ? spec.parent.root : toId(spec.parent.id)) : null
  const content = contentOf(spec.content)
  return new Y.Item(id, null, origin, null, rightOrigin, parent as never, spec.parentSub ?? null, content)
}

/** Encodes the update (V1, as `Y.applyUpdate` and the sync protocol read it). */
export function encodeUpdate(update: CraftedUpdate): Uint8Array {
  const byClient = new Map<number, CraftedStruct[]>()
  for (const struct of update.structs) {
    const list = byClient.get(struct.client) ?? []
    list.push(struct)
    byClient.set(struct.client, list)
  }
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, list] of byClient) {
    list.sort((a, b) => a.clock - b.clock)
    for (let i = 1; i < list.length; i++) {
      const expected = list[i - 1]!.clock + lengthOf(list[i - 1]!.content)
      if (list[i]!.clock !== expected)
        throw new Error(
          `client ${client}: struct at ${list[i]!.clock} does not follow the one ending at ${expected}`,
        )
    }
    encoding.writeVarUint(encoder.restEncoder, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, list[0]!.clock)
    for (const spec of list) structOf(spec).write(encoder, 0)
  }
  const deletes = new Map<number, { clock: number; len: number }[]>()
  for (const { client, clock, len } of update.deletes ?? []) {
    const list = deletes.get(client) ?? []
    list.push({ clock, len })
    deletes.set(client, list)
  }
  encoding.writeVarUint(encoder.restEncoder, deletes.size)
  for (const [client, ranges] of deletes) {
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const { clock, len } of ranges.sort((a, b) => a.clock - b.clock)) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
  return encoder.toUint8Array()
}

// ---- Finding the stored items an attack aims at (in a replica synced from the server) ----

/** The items of a type's list, left to right, deleted ones included (`_start`, then `right`). */
export function listItems(type: Y.AbstractType<any>): Y.Item[] {
  const items: Y.Item[] = []
  for (let item = type._start; item !== null; item = item.right) items.push(item)
  return items
}

/** The item holding an attribute's present value (`_map`), or throws. */
export function attributeItem(element: Y.XmlElement, key: string): Y.Item {
  const item = element._map.get(key)
  if (!item) throw new Error(`<${element.nodeName}> has no attribute ${key}`)
  return item
}

/** The item whose content is this type. */
export function itemOf(type: Y.AbstractType<any>): Y.Item {
  if (!type._item) throw new Error('a root type has no item')
  return type._item
}

/** The id of an item's last clock (an origin that points after all of the item). */
export function lastIdOf(item: Y.Item): IdLike {
  return { client: item.id.client, clock: item.id.clock + item.length - 1 }
}

/** The next clock of a client in this document (`Y.getState`). */
export const stateOf = (doc: Y.Doc, client: number) => Y.getState(doc.store, client)

/** The struct of this client that holds its last clock. */
export function lastStructOf(doc: Y.Doc, client: number): Y.Item | Y.GC {
  const structs = doc.store.clients.get(client)
  if (!structs || structs.length === 0) throw new Error(`no structs of client ${client}`)
  return structs[structs.length - 1] as Y.Item | Y.GC
}

/** Every client with structs in the document, and its next clock. */
export function clientsOf(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc))
}

/** A clientID with no structs in the document (what an attacker's fresh replica would use). */
export function freshClientId(doc: Y.Doc): number {
  for (;;) {
    const candidate = 1 + Math.floor(Math.random() * 0x3fffffff)
    if (!doc.store.clients.has(candidate)) return candidate
  }
}

/**
 * What a document holds at each clock of a client below `end`: the character of a text item, else the
 * struct's kind ("ContentDeleted", "ContentType", "GC", ...), or "missing". Two documents hold the same
 * content for those clocks when the lists are equal.
 */
export function clocksHeld(doc: Y.Doc, client: number, end: number): string[] {
  const held: string[] = []
  const state = Y.getState(doc.store, client)
  for (let clock = 0; clock < end; clock++) {
    if (clock >= state) {
      held.push('missing')
      continue
    }
    const struct = Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item | Y.GC
    if (!(struct instanceof Y.Item)) held.push('GC')
    else if (struct.content instanceof Y.ContentString)
      held.push(`char ${struct.content.str[clock - struct.id.clock]}`)
    else held.push(struct.content.constructor.name)
  }
  return held
}

/** Every deleted range of the document, per client (what a provider's sync step 2 always carries). */
export function deletedRanges(doc: Y.Doc): { client: number; clock: number; len: number }[] {
  const ranges: { client: number; clock: number; len: number }[] = []
  for (const [client, structs] of doc.store.clients) {
    for (const struct of structs) {
      if (!struct.deleted) continue
      const last = ranges.at(-1)
      if (last && last.client === client && last.clock + last.len === struct.id.clock)
        last.len += struct.length
      else ranges.push({ client, clock: struct.id.clock, len: struct.length })
    }
  }
  return ranges
}

/** The text of a clause's first paragraph; unlike `firstParagraphText`, never creates one (a replica stays as is). */
export function paragraphTextOf(body: Y.XmlFragment, title: string): Y.XmlText {
  const paragraph = clauseByTitle(body, title)
    .toArray()
    .find((child): child is Y.XmlElement => child instanceof Y.XmlElement && child.nodeName === 'paragraph')
  const text = paragraph?.get(0)
  if (!(text instanceof Y.XmlText)) throw new Error(`${title} has no paragraph text`)
  return text
}

/** The last clock of a clause's first paragraph text: an origin that puts new text at the end of it. */
export const endOfParagraph = (body: Y.XmlFragment, title: string): IdLike =>
  lastIdOf(listItems(paragraphTextOf(body, title)).at(-1)!)
