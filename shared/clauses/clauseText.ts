/**
 * Reading clauses out of the shared Y.XmlFragment: the tree (for numbering), a clause's own plain text and the
 * digest that agreement binds to. Used by the server (API answers, agree, checks) and by the client (the hash of
 * what the chair sees), so both compute exactly the same values. Every walk down the tree is iterative
 * (unfold.ts): a stored document may nest deeper than the call stack allows.
 */

import { toHexString as hex } from 'lib0/buffer'
import { digest } from 'lib0/hash/sha256'
import * as Y from 'yjs'
import { CLAUSE, CLAUSE_HEADING, CLAUSE_KINDS, type ClauseKind } from '../editor/clauseNodes.ts'
import { type ClauseNode, type NumberedClause, numberClauses } from './numbering.ts'
import { interleave, type Piece, unfold } from './unfold.ts'
import { isXmlNode, type XmlNode, xmlString } from './xmlString.ts'

export function isClauseElement(node: unknown): node is Y.XmlElement {
  return node instanceof Y.XmlElement && node.nodeName === CLAUSE
}

export function clauseKindOf(element: Y.XmlElement): ClauseKind {
  const kind = element.getAttribute('kind')
  return (CLAUSE_KINDS as readonly string[]).includes(kind as string) ? (kind as ClauseKind) : 'numbered'
}

export function clauseIdOf(element: Y.XmlElement): string {
  const id = element.getAttribute('id')
  return typeof id === 'string' ? id : ''
}

/** Plain text of a Yjs XML node: text runs concatenated, blocks separated by newlines, fields by a space. */
export function plainText(node: Y.XmlElement | Y.XmlText | Y.XmlFragment): string {
  return unfold<XmlNode>(node, plainTextPieces)
}

function plainTextPieces(node: XmlNode): Piece<XmlNode>[] {
  if (node instanceof Y.XmlText) return [runsText(node)]
  const inlineContainer = node instanceof Y.XmlElement && isFieldOrInlineBlock(node)
  const children: unknown[] = node.toArray()
  return interleave(children.filter(isXmlNode), inlineContainer ? '' : separatorFor(node))
}

function runsText(text: Y.XmlText): string {
  return text
    .toDelta()
    .map((op: { insert: unknown }) => textOf(op.insert))
    .join('')
}

function textOf(insert: unknown): string {
  return typeof insert === 'string' ? insert : ''
}

const ENTRY_NODES = new Set(['definition', 'abbreviation', 'reference', 'requirement'])
function separatorFor(node: Y.XmlElement | Y.XmlFragment): string {
  return node instanceof Y.XmlElement && (ENTRY_NODES.has(node.nodeName) || node.nodeName === 'tableRow')
    ? ' '
    : '\n'
}

function isFieldOrInlineBlock(node: Y.XmlElement): boolean {
  return node.toArray().every((child) => child instanceof Y.XmlText)
}

export function clauseHeadingOf(element: Y.XmlElement): Y.XmlElement | undefined {
  return element
    .toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === CLAUSE_HEADING)
}

export function clauseTitle(element: Y.XmlElement): string {
  const heading = clauseHeadingOf(element)
  return heading ? plainText(heading) : ''
}

/** The clause's own blocks: everything but its heading and its sub-clauses. */
export function ownBlocks(element: Y.XmlElement): (Y.XmlElement | Y.XmlText)[] {
  return element
    .toArray()
    .filter(
      (c): c is Y.XmlElement | Y.XmlText =>
        (c instanceof Y.XmlElement && c.nodeName !== CLAUSE && c.nodeName !== CLAUSE_HEADING) ||
        c instanceof Y.XmlText,
    )
}

/** The clause's own plain text (heading and sub-clauses excluded), as the API's `section.text`. */
export function clauseOwnText(element: Y.XmlElement): string {
  return ownBlocks(element)
    .map((block) => plainText(block))
    .join('\n')
}

/**
 * The canonical form that `hash` digests: the clause's kind, then its heading and own blocks as Yjs serializes
 * them (element names, sorted attributes, text with its formatting), sub-clauses excluded. Documented in
 * docs/API.md.
 */
export function clauseCanonicalContent(element: Y.XmlElement): string {
  // The clause's kind changes how it is numbered and printed (annex, appendix): part of what is agreed.
  const own = `<clause kind="${clauseKindOf(element)}">`
  const children = element
    .toArray()
    .filter((c) => !isClauseElement(c))
    .map(xmlString)
  return [own, ...children].join('\n')
}

export function contentHash(canonical: string): string {
  return `sha256-${hex(digest(new TextEncoder().encode(canonical)))}`
}

export function clauseHash(element: Y.XmlElement): string {
  return contentHash(clauseCanonicalContent(element))
}

/** The first clause element under `parent`, in document order, that `match` accepts; null when none does. */
export function findClause(
  parent: Y.XmlFragment,
  match: (element: Y.XmlElement) => boolean,
): Y.XmlElement | null {
  const stack = parent.toArray().filter(isClauseElement).reverse()
  while (stack.length > 0) {
    const element = stack.pop()!
    if (match(element)) return element
    const inner = element.toArray().filter(isClauseElement)
    for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]!)
  }
  return null
}

/**
 * The clause element with this id anywhere under `parent`: the first in document order when a duplicate is not
 * yet repaired; null when there is none.
 */
export function findClauseElement(parent: Y.XmlFragment, id: string): Y.XmlElement | null {
  return findClause(parent, (element) => clauseIdOf(element) === id)
}

export interface ClauseEntry extends NumberedClause {
  element: Y.XmlElement
}

/** Every clause of the body in document order, numbered, with its element. */
export function listClauses(body: Y.XmlFragment): ClauseEntry[] {
  const { roots, elements } = clauseTree(body)
  // numberClauses walks in the same pre-order as clauseTree, so the i-th entry is the i-th element.
  return numberClauses(roots).map((entry, i) => ({ ...entry, element: elements[i]! }))
}

/** The clause tree under `parent`, and its elements in pre-order. */
function clauseTree(parent: Y.XmlFragment): { roots: ClauseNode[]; elements: Y.XmlElement[] } {
  const roots: ClauseNode[] = []
  const elements: Y.XmlElement[] = []
  const stack: { element: Y.XmlElement; siblings: ClauseNode[] }[] = []
  const pushClausesOf = (container: Y.XmlFragment, siblings: ClauseNode[]) => {
    const clauses = container.toArray().filter(isClauseElement)
    for (let i = clauses.length - 1; i >= 0; i--) stack.push({ element: clauses[i]!, siblings })
  }
  pushClausesOf(parent, roots)
  while (stack.length > 0) {
    const { element, siblings } = stack.pop()!
    elements.push(element)
    const node: ClauseNode = {
      id: clauseIdOf(element),
      kind: clauseKindOf(element),
      title: clauseTitle(element),
      children: [],
    }
    siblings.push(node)
    pushClausesOf(element, node.children)
  }
  return { roots, elements }
}
