/**
 * A deliverable's body read into plain data for the writers (docx, HTML, Markdown): the numbered clause tree of
 * shared/clauses, each clause with its own blocks in the editor schema's terms. Read once from the Y.Doc, so that a
 * writer never walks Yjs structures and a version's state is read exactly as the present one.
 */
import * as Y from 'yjs'
import { clauseIdOf, listClauses, ownBlocks } from '../../shared/clauses/clauseText.ts'
import type { ClauseKind } from '../../shared/editor/clauseNodes.ts'
import { BODY_FIELD, isSafeUrl } from '../../shared/editor/extensions.ts'

/**
 * A run of text with its formatting; `clients` (when asked for) names the Yjs client of each character: a typed
 * array, because a large deliverable has close to a million characters and a plain array of them costs the event
 * loop a tenth of a second to build and another to copy to the export worker.
 */
export interface Inline {
  text: string
  bold?: boolean
  italic?: boolean
  underline?: boolean
  strike?: boolean
  sub?: boolean
  sup?: boolean
  href?: string
  clients?: Uint32Array
  /** Where the run starts in the document (when asked for): its Y.XmlText's number and index there. */
  source?: { text: number; index: number }
}

export type Block =
  | { kind: 'paragraph' | 'note'; runs: Inline[] }
  | { kind: 'definition'; term: Inline[]; source: Inline[]; text: Inline[] }
  | { kind: 'abbreviation'; term: Inline[]; expansion: Inline[] }
  | { kind: 'reference'; tag: Inline[]; text: Inline[] }
  | { kind: 'requirement'; id: Inline[]; text: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Block[][] }
  | { kind: 'table'; rows: { header: boolean; cells: Block[][] }[] }

export interface ModelClause {
  id: string
  number: string
  title: Inline[]
  level: number
  kind: ClauseKind
  /** The kind of its top-level ancestor (itself at level 1): annex sub-clauses print as annex clauses. */
  topKind: ClauseKind
  hasChildren: boolean
  blocks: Block[]
}

export interface ReadOptions {
  /** Record each character's Yjs client (for revision authors). */
  withClients?: boolean
  /** Numbers every Y.XmlText read (in reading order) and marks each run with its `source`: annotationsDocx.ts. */
  texts?: Map<Y.XmlText, number>
}

/** Nesting of blocks deeper than this (lists in tables in lists...) is read as plain paragraphs. */
const MAX_BLOCK_DEPTH = 24

export function readModel(doc: Y.Doc, options: ReadOptions = {}): ModelClause[] {
  const body = doc.getXmlFragment(BODY_FIELD)
  const entries = listClauses(body)
  let topKind: ClauseKind = 'numbered'
  return entries.map((entry, index) => {
    if (entry.level === 1) topKind = entry.kind
    const next = entries[index + 1]
    const heading = entry.element
      .toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'clauseHeading')
    return {
      id: clauseIdOf(entry.element),
      number: entry.number,
      title: heading ? inlinesOf(heading, options) : [],
      level: entry.level,
      kind: entry.kind,
      topKind,
      hasChildren: next !== undefined && next.level > entry.level,
      blocks: ownBlocks(entry.element).flatMap((block) => blocksOf(block, options, 0)),
    }
  })
}

function blocksOf(node: Y.XmlElement | Y.XmlText, options: ReadOptions, depth: number): Block[] {
  if (node instanceof Y.XmlText) return [{ kind: 'paragraph', runs: textRuns(node, options) }]
  if (depth > MAX_BLOCK_DEPTH) return [{ kind: 'paragraph', runs: inlinesOf(node, options) }]
  const field = (name: string) => {
    const child = node.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === name)
    return child instanceof Y.XmlElement ? inlinesOf(child, options) : []
  }
  const children = () => elementChildren(node)
  switch (node.nodeName) {
    case 'paragraph':
      return [{ kind: 'paragraph', runs: inlinesOf(node, options) }]
    case 'note':
      return [{ kind: 'note', runs: inlinesOf(node, options) }]
    case 'definition':
      return [
        {
          kind: 'definition',
          term: field('definitionTerm'),
          source: field('definitionSource'),
          text: field('definitionText'),
        },
      ]
    case 'abbreviation':
      return [
        { kind: 'abbreviation', term: field('abbreviationTerm'), expansion: field('abbreviationExpansion') },
      ]
    case 'reference':
      return [{ kind: 'reference', tag: field('referenceTag'), text: field('referenceText') }]
    case 'requirement':
      return [{ kind: 'requirement', id: field('requirementId'), text: field('requirementText') }]
    case 'bulletList':
    case 'orderedList':
      return [
        {
          kind: 'list',
          ordered: node.nodeName === 'orderedList',
          items: children().map((item) =>
            elementChildren(item).flatMap((b) => blocksOf(b, options, depth + 1)),
          ),
        },
      ]
    case 'table':
      return [
        {
          kind: 'table',
          rows: children().map((row) => {
            const cells = elementChildren(row)
            return {
              header: cells.length > 0 && cells.every((c) => c.nodeName === 'tableHeader'),
              cells: cells.map((cell) =>
                elementChildren(cell).flatMap((b) => blocksOf(b, options, depth + 1)),
              ),
            }
          }),
        },
      ]
    default:
      // A node this reader does not know (a newer schema): its text, never lost.
      return [{ kind: 'paragraph', runs: inlinesOf(node, options) }]
  }
}

function elementChildren(node: Y.XmlElement): Y.XmlElement[] {
  return node.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
}

/** The inline content of a text block: its text runs, hard breaks as newlines, nested elements flattened. */
function inlinesOf(node: Y.XmlElement, options: ReadOptions): Inline[] {
  const out: Inline[] = []
  const stack: (Y.XmlElement | Y.XmlText)[] = [...node.toArray()].reverse() as (Y.XmlElement | Y.XmlText)[]
  while (stack.length > 0) {
    const child = stack.pop()!
    if (child instanceof Y.XmlText) out.push(...textRuns(child, options))
    else if (child.nodeName === 'hardBreak') out.push({ text: '\n' })
    else {
      const inner = child.toArray() as (Y.XmlElement | Y.XmlText)[]
      for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]!)
    }
  }
  return out
}

interface DeltaOp {
  insert: unknown
  attributes?: Record<string, { href?: unknown } | undefined>
}

function textRuns(text: Y.XmlText, options: ReadOptions): Inline[] {
  const clients = options.withClients ? charClients(text) : undefined
  const textNumber = options.texts ? numberText(options.texts, text) : -1
  let offset = 0
  let index = 0
  const runs: Inline[] = []
  for (const op of text.toDelta() as DeltaOp[]) {
    if (typeof op.insert !== 'string') {
      index += 1
      continue
    }
    const attrs = op.attributes ?? {}
    const run: Inline = { text: op.insert }
    if (attrs.bold) run.bold = true
    if (attrs.italic) run.italic = true
    if (attrs.underline) run.underline = true
    if (attrs.strike) run.strike = true
    if (attrs.subscript) run.sub = true
    if (attrs.superscript) run.sup = true
    const href = attrs.link?.href
    if (typeof href === 'string' && isSafeUrl(href)) run.href = href
    if (clients) run.clients = clients.subarray(offset, offset + op.insert.length)
    if (textNumber >= 0) run.source = { text: textNumber, index }
    offset += op.insert.length
    index += op.insert.length
    runs.push(run)
  }
  return runs
}

function numberText(texts: Map<Y.XmlText, number>, text: Y.XmlText): number {
  let number = texts.get(text)
  if (number === undefined) {
    number = texts.size
    texts.set(text, number)
  }
  return number
}

/** The Yjs client that inserted each visible character of the text, in order (the string items of toDelta). */
function charClients(text: Y.XmlText): Uint32Array {
  const out = new Uint32Array(text.length)
  let filled = 0
  let item = text._start
  while (item !== null) {
    if (!item.deleted && item.content instanceof Y.ContentString) {
      const length = item.content.getLength()
      out.fill(item.id.client, filled, filled + length)
      filled += length
    }
    item = item.right
  }
  return out.subarray(0, filled)
}

/** The document of a complete Yjs update (a version's state). */
export function docFromUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: true })
  Y.applyUpdate(doc, update)
  return doc
}

export const inlineText = (runs: readonly Inline[]): string => runs.map((r) => r.text).join('')
