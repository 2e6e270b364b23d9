/**
 * Crafted worst-case Yjs updates for the abuse scenario, written struct by struct with Yjs's own encoder
 * (`Y.UpdateEncoderV1`, `Item.write`) so that nothing merges them: a chain of items each with its origin on the
 * previous item of the same update (what typing a long run character by character produces before Yjs merges
 * it), and a chain of elements each nested in the previous one. Every struct is valid and every reference
 * resolves, so a server has to decode them to know what they are.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** Where a chain of text items goes: after `origin` in its type, or at the start of `parent` (an empty text). */
export interface ChainAnchor {
  client: number
  /** The first clock to write (the client's state on the server). */
  clock: number
  /** The item the chain follows, if any; its parent is where the chain lands. */
  origin: Y.ID | null
  /** The item right of the insertion point, if any (every item of the chain names it, as Yjs would). */
  rightOrigin: Y.ID | null
  /** The item of the type the chain goes in: written by the first item only when it has no origin. */
  parent: Y.ID | null
}

export interface Built {
  bytes: Uint8Array
  structs: number
  /** The client's state after this update (the next clock to write). */
  nextClock: number
  /** The id of the last character written: the next chain's origin. */
  last: Y.ID
}

/** Writes one client's structs as a whole v1 update with an empty delete set. */
function encodeStructs(client: number, firstClock: number, items: Y.Item[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const rest = encoder.restEncoder
  encoding.writeVarUint(rest, 1)
  encoding.writeVarUint(rest, items.length)
  encoder.writeClient(client)
  encoding.writeVarUint(rest, firstClock)
  for (const item of items) item.write(encoder, 0)
  encoding.writeVarUint(rest, 0)
  return encoder.toUint8Array()
}

/**
 * `count` text items of `chars` characters each, each one's origin the last character of the previous one
 * (the first's origin the anchor's): one struct each, integrated one after another.
 */
export function chainedText(anchor: ChainAnchor, count: number, chars = 1): Built {
  const text = 'x'.repeat(chars)
  const items: Y.Item[] = []
  let origin: Y.ID | null = anchor.origin
  let clock = anchor.clock
  let last = anchor.origin
  for (let i = 0; i < count; i++) {
    const id = Y.createID(anchor.client, clock)
    const parent = (
      origin === null && anchor.rightOrigin === null ? anchor.parent : null
    ) as Y.AbstractType<unknown> | null
    items.push(
      new Y.Item(id, null, origin, null, anchor.rightOrigin, parent, null, new Y.ContentString(text)),
    )
    origin = last = Y.createID(anchor.client, clock + chars - 1)
    clock += chars
  }
  if (!last) throw new Error('an empty chain')
  return { bytes: encodeStructs(anchor.client, anchor.clock, items), structs: count, nextClock: clock, last }
}

/** The largest chain of `chars`-character items whose update stays within `maxBytes`. */
export function chainedTextWithin(anchor: ChainAnchor, maxBytes: number, chars = 1): Built {
  const sample = chainedText(anchor, 1000, chars)
  let count = Math.floor((maxBytes / sample.bytes.byteLength) * 1000)
  for (;;) {
    const built = chainedText(anchor, count, chars)
    if (built.bytes.byteLength <= maxBytes) return built
    const perStruct = built.bytes.byteLength / count
    count -= Math.ceil((built.bytes.byteLength - maxBytes) / perStruct) + 1
  }
}

/**
 * `depth` elements named `nodeName`, each the only child of the previous one; the outermost goes after
 * `after` (an item of the body, so in the body itself) or, when null, at the start of the root type `root`.
 */
export function nestedElements(
  client: number,
  clock: number,
  depth: number,
  after: Y.ID | null,
  root: string,
  nodeName: string,
): Built {
  const items: Y.Item[] = []
  for (let i = 0; i < depth; i++) {
    const id = Y.createID(client, clock + i)
    const content = new Y.ContentType(new Y.XmlElement(nodeName))
    // The encoder writes a parent only for an item without origins: the root's name, or the enclosing item's id.
    const parent = i === 0 ? (after ? null : root) : Y.createID(client, clock + i - 1)
    const origin = i === 0 ? after : null
    items.push(
      new Y.Item(id, null, origin, null, null, parent as unknown as Y.AbstractType<unknown>, null, content),
    )
  }
  return {
    bytes: encodeStructs(client, clock, items),
    structs: depth,
    nextClock: clock + depth,
    last: Y.createID(client, clock + depth - 1),
  }
}

/** The last item (deleted or not) in the list of `type`. */
export function lastItem(type: { _start: Y.Item | null }): Y.Item | null {
  let item = type._start
  while (item?.right) item = item.right
  return item
}
