/**
 * Yjs's XML serialization, the `toString()` of Y.XmlElement, Y.XmlText and Y.XmlFragment in Yjs 13.6, rebuilt
 * without recursion: Yjs recurses once per nesting level and overflowed the stack on a deep document. The output
 * must stay byte-identical to Yjs's, since the hashes of agreed clauses digest it (clauseText.ts), so each rule
 * below mirrors YXmlElement.js, YXmlText.js or YXmlFragment.js, quirks included; xmlString.test.ts compares the
 * two on random documents.
 */
import * as Y from 'yjs'
import { interleave, type Piece, unfold } from './unfold.ts'

export type XmlNode = Y.XmlElement | Y.XmlText | Y.XmlFragment

export function isXmlNode(value: unknown): value is XmlNode {
  // Y.XmlElement extends Y.XmlFragment.
  return value instanceof Y.XmlFragment || value instanceof Y.XmlText
}

/** What JavaScript would stringify by recursing: XML nodes, and arrays (an attribute or embed can be one). */
type Nested = XmlNode | unknown[]

/**
 * `value` as Yjs stringifies a child, an attribute value or an embed. Where Yjs throws (a null or undefined
 * child, an object whose `toString` is not a function), no recorded hash can cover the content, and this reads
 * it as "null", "undefined" or "[object Object]" instead, so that such a document stays readable.
 */
export function xmlString(value: unknown): string {
  const piece = pieceOf(value)
  return typeof piece === 'string' ? piece : unfold<Nested>(piece, expand)
}

function pieceOf(value: unknown): Piece<Nested> {
  return isXmlNode(value) || Array.isArray(value) ? value : scalarString(value)
}

// String() where Yjs concatenates or calls toString(): the same for every value a document holds, as none has a
// valueOf or Symbol.toPrimitive of its own.
function scalarString(value: unknown): string {
  try {
    return String(value)
  } catch (error) {
    // A decoded object with a `toString` key that holds data; any other error is not the content's doing.
    if (error instanceof TypeError) return Object.prototype.toString.call(value)
    throw error
  }
}

function expand(node: Nested): readonly Piece<Nested>[] {
  if (Array.isArray(node)) return arrayPieces(node)
  if (node instanceof Y.XmlText) return textPieces(node)
  if (node instanceof Y.XmlElement) return elementPieces(node)
  return node.toArray().map(pieceOf)
}

/** Array.prototype.toString: the elements joined by commas, null and undefined (and holes) as nothing. */
function arrayPieces(array: unknown[]): Piece<Nested>[] {
  return interleave(
    Array.from(array, (item) => (item === null || item === undefined ? '' : pieceOf(item))),
    ',',
  )
}

/** YXmlElement.toString: the lower-cased name, the attributes sorted by name, the children. */
function elementPieces(element: Y.XmlElement): Piece<Nested>[] {
  const attrs: Record<string, unknown> = element.getAttributes()
  const keys: string[] = []
  // for...in, as Yjs does: the same keys, should a crafted `__proto__` attribute have changed the prototype.
  for (const key in attrs) keys.push(key)
  keys.sort()
  const nodeName = element.nodeName.toLocaleLowerCase()
  const pieces: Piece<Nested>[] = [`<${nodeName}`]
  for (const key of keys) pieces.push(` ${key}="`, pieceOf(attrs[key]), '"')
  pieces.push('>')
  for (const child of element.toArray()) pieces.push(pieceOf(child))
  pieces.push(`</${nodeName}>`)
  return pieces
}

interface DeltaOp {
  insert: unknown
  attributes?: Record<string, unknown>
}

interface Mark {
  nodeName: string
  attrs: { key: string; value: unknown }[]
}

/** YXmlText.toString: each run inside one tag per mark, marks sorted by name, their attributes by key. */
function textPieces(text: Y.XmlText): Piece<Nested>[] {
  const pieces: Piece<Nested>[] = []
  for (const op of text.toDelta() as DeltaOp[]) {
    const marks = marksOf(op.attributes)
    for (const mark of marks) pushOpenTag(pieces, mark)
    pieces.push(pieceOf(op.insert))
    for (let i = marks.length - 1; i >= 0; i--) pieces.push(`</${marks[i]!.nodeName}>`)
  }
  return pieces
}

// The loops and comparators are Yjs's own: for...in over a mark's value (a string value yields its indices),
// and comparators that never answer 0.
function marksOf(attributes: Record<string, unknown> | undefined): Mark[] {
  const marks: Mark[] = []
  for (const nodeName in attributes) {
    const value = attributes[nodeName] as Record<string, unknown>
    const attrs: Mark['attrs'] = []
    for (const key in value) attrs.push({ key, value: value[key] })
    attrs.sort((a, b) => (a.key < b.key ? -1 : 1))
    marks.push({ nodeName, attrs })
  }
  marks.sort((a, b) => (a.nodeName < b.nodeName ? -1 : 1))
  return marks
}

function pushOpenTag(pieces: Piece<Nested>[], mark: Mark): void {
  pieces.push(`<${mark.nodeName}`)
  for (const attr of mark.attrs) pieces.push(` ${attr.key}="`, pieceOf(attr.value), '"')
  pieces.push('>')
}
