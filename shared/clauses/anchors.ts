/**
 * Annotation anchors (SYNC.md §7): two Yjs relative positions inside a clause's own content (its blocks, not its
 * heading, not its sub-clauses). A relative position names an item, so it follows edits around it; when the text
 * between the two is deleted, both collapse to where it was. These functions read an anchor against a document,
 * on the server (to check what a client sends and to accept a suggestion) and in the browser alike.
 */
import * as Y from 'yjs'
import type { Anchor } from '../domain/annotations.ts'
import { isClauseElement, ownBlocks } from './clauseText.ts'

export interface ResolvedAnchor {
  start: Y.AbsolutePosition
  end: Y.AbsolutePosition
  /** The text between the two positions, blocks separated by a newline. */
  text: string
}

export type AnchorProblem = 'unreadable' | 'unknown' | 'outside' | 'reversed'

const PROBLEMS: Record<AnchorProblem, string> = {
  unreadable: 'The anchor is not a pair of encoded Yjs relative positions.',
  unknown: 'The anchor names text this document does not hold.',
  outside: 'The anchor must lie inside the section’s own text (not its heading or a sub-clause).',
  reversed: 'The anchor ends before it starts.',
}

export function anchorProblemMessage(problem: AnchorProblem): string {
  return PROBLEMS[problem]
}

function decodePosition(base64: string, doc: Y.Doc): Y.AbsolutePosition | AnchorProblem {
  let relative: Y.RelativePosition
  try {
    relative = Y.decodeRelativePosition(fromBase64(base64))
  } catch {
    return 'unreadable'
  }
  return Y.createAbsolutePositionFromRelativePosition(relative, doc) ?? 'unknown'
}

/** The clause element whose own content holds a position's type, or null. */
function owningClause(type: Y.AbstractType<unknown>): Y.XmlElement | null {
  let node: Y.AbstractType<unknown> | null = type
  while (node) {
    const parent: Y.AbstractType<unknown> | null = (node._item?.parent as Y.AbstractType<unknown>) ?? null
    if (isClauseElement(parent)) {
      const own = ownBlocks(parent) as unknown[]
      return own.includes(node) ? parent : null
    }
    node = parent
  }
  return null
}

/** Resolves an anchor inside `clause`'s own content, or says what is wrong with it. */
export function resolveAnchor(
  doc: Y.Doc,
  clause: Y.XmlElement,
  anchor: Anchor,
): ResolvedAnchor | AnchorProblem {
  const start = decodePosition(anchor.start, doc)
  if (typeof start === 'string') return start
  const end = decodePosition(anchor.end, doc)
  if (typeof end === 'string') return end
  if (owningClause(start.type) !== clause || owningClause(end.type) !== clause) return 'outside'
  const text = textBetween(clause, start, end)
  return text === null ? 'reversed' : { start, end, text }
}

/**
 * The text from `start` to `end` in document order, or null when `end` comes first. A position in an element
 * (rather than in a text) stands before the child at its index.
 */
export function textBetween(
  clause: Y.XmlElement,
  start: Y.AbsolutePosition,
  end: Y.AbsolutePosition,
): string | null {
  let collecting = false
  let done = false
  let out = ''
  const at = (type: unknown, index: number) => {
    if (done) return
    if (!collecting && type === start.type && index === start.index) collecting = true
    if (type === end.type && index === end.index) done = true
  }
  const walk = (node: unknown) => {
    if (done) return
    if (node instanceof Y.XmlText) {
      let index = 0
      for (const op of node.toDelta() as { insert: unknown }[]) {
        const run = typeof op.insert === 'string' ? op.insert : ' '
        for (const char of run) {
          at(node, index)
          if (done) return
          if (collecting) out += char
          index += char.length
        }
      }
      at(node, index)
      return
    }
    if (node instanceof Y.XmlElement) {
      const children = node.toArray()
      children.forEach((child, index) => {
        at(node, index)
        walk(child)
        if (collecting && !done && child instanceof Y.XmlElement) out += '\n'
      })
      at(node, children.length)
    }
  }
  for (const block of ownBlocks(clause)) {
    walk(block)
    if (done) break
    if (collecting) out += '\n'
  }
  // `end` met before `start`: the anchor is reversed.
  if (!collecting) return start.type === end.type && start.index === end.index ? '' : null
  return out.replace(/\n+$/, '')
}

/** Both ends in one text, in order: the range a suggestion's replacement can take the place of. */
export function singleTextRange(
  resolved: ResolvedAnchor,
): { text: Y.XmlText; from: number; to: number } | null {
  const { start, end } = resolved
  if (!(start.type instanceof Y.XmlText) || start.type !== end.type || start.index > end.index) return null
  return { text: start.type, from: start.index, to: end.index }
}

export function fromBase64(value: string): Uint8Array {
  const binary = atob(value)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** An anchor over `[from, to)` of a text, as a client makes one. */
export function anchorInText(text: Y.XmlText, from: number, to: number): Anchor {
  const encode = (index: number, assoc: number) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc)))
  // The start sticks to the character after it and the end to the one before, so text typed at either edge
  // stays outside the range; an empty range (an insertion) keeps both ends together.
  return { start: encode(from, 0), end: encode(to, from === to ? 0 : -1) }
}
