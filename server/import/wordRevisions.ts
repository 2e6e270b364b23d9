/**
 * A Word file's tracked changes and comments, read from its XML (mammoth keeps inserted text, drops deleted text
 * and every comment anchor): issue 24. The document is rewritten to read as it was before the changes (deleted
 * text put back, inserted text taken out), with a marker in the text wherever a change or a comment's range starts
 * and ends. The markers ride through mammoth and the clause builder as characters of the Unicode private use area;
 * importMarks.ts takes them out of the built document and remembers where they stood, so that each change becomes a
 * suggestion and each comment a thread on the same words.
 */
import { DOMParser, type Document, type Element, type Node, XMLSerializer } from '@xmldom/xmldom'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml'
const W15 = 'http://schemas.microsoft.com/office/word/2012/wordml'

/** `\uE000<kind><number>\uE001`: d/e a change's original text starts/ends, i an insertion, s/f a comment range. */
export const MARKER = /\uE000([deisf])(\d+)\uE001/g
export type MarkerKind = 'd' | 'e' | 'i' | 's' | 'f'
const marker = (kind: MarkerKind, n: number | string) => `\uE000${kind}${n}\uE001`

export interface WordChange {
  n: number
  author: string
  date: string
  /** Half of a move (w:moveFrom, w:moveTo): a deletion at the source, an insertion at the destination. */
  moved?: boolean
  /** The text the change takes out ("" for a pure insertion). */
  deleted: string
  /** The text the change puts in ("" for a pure deletion). */
  inserted: string
}

export interface WordComment {
  /** w:id in comments.xml and in the document's range marks. */
  id: string
  author: string
  date: string
  text: string
  /** The w:id of the comment it replies to. */
  parentId: string | null
}

export interface WordRevisions {
  /** document.xml as it read before its tracked changes, with markers. */
  documentXml: string
  changes: WordChange[]
  comments: WordComment[]
  /** Paragraphs inserted (or moved to) whole: kept as text (a suggestion changes text within a paragraph). */
  insertedParagraphs: number
}

/**
 * Tracked changes of formatting only (run and paragraph properties: w:rPrChange, w:pPrChange): the text takes no
 * formatting suggestions, so they are counted and reported, never applied or dropped unseen.
 */
export function countFormatChanges(documentXml: string): number {
  const doc = parse(documentXml)
  return elements(doc, 'rPrChange').length + elements(doc, 'pPrChange').length
}

/** Moves (w:moveFrom with its w:moveTo): each becomes a deletion and an insertion suggestion. */
export function countMoves(documentXml: string): number {
  return elements(parse(documentXml), 'moveFrom').filter(holdsRuns).length
}

type El = Element

const parse = (xml: string): Document =>
  new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml')

const elements = (root: Document | Element, name: string): El[] =>
  Array.from(root.getElementsByTagNameNS(W, name))

const attr = (el: El, name: string) => el.getAttributeNS(W, name) ?? el.getAttribute(`w:${name}`) ?? ''

/** The text of runs: w:t (or w:delText), tabs and line breaks. */
function runText(root: El, textTag: 't' | 'delText'): string {
  return runTextOf(root, textTag)
}

/** Text taken out by a deletion (w:delText) or a move's source (Word writes w:t there, some writers w:delText). */
const removedText = (el: El) => runTextOf(el, 'delText') || runTextOf(el, 't')

function runTextOf(root: El, textTag: 't' | 'delText'): string {
  let out = ''
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== 1) continue
      const el = child as El
      if (el.namespaceURI === W && el.localName === textTag) out += el.textContent ?? ''
      else if (el.namespaceURI === W && el.localName === 'tab') out += '\t'
      else if (el.namespaceURI === W && (el.localName === 'br' || el.localName === 'cr')) out += '\n'
      else walk(el)
    }
  }
  walk(root)
  return out
}

/** A change that holds runs (not a formatting or paragraph-mark revision, which are empty). */
const holdsRuns = (el: El) => elements(el, 'r').length > 0

function markerRun(doc: Document, text: string): El {
  const run = doc.createElementNS(W, 'w:r')
  const t = doc.createElementNS(W, 'w:t')
  t.setAttribute('xml:space', 'preserve')
  t.appendChild(doc.createTextNode(text))
  run.appendChild(t)
  return run
}

function nextElement(el: El): El | null {
  let next = el.nextSibling
  while (next && next.nodeType !== 1) next = next.nextSibling
  return (next as El | null) ?? null
}

/** Elements of two kinds merged back into the order in which they stand in the document. */
function inDocumentOrder(list: El[]): El[] {
  const order = new Map<Node, number>()
  let index = 0
  const walk = (node: Node) => {
    order.set(node, index++)
    for (let child = node.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) walk(child)
  }
  const root = list[0]?.ownerDocument?.documentElement
  if (root) walk(root)
  return [...list].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
}

export function readWordRevisions(
  documentXml: string,
  commentsXml: string | null,
  commentsExtendedXml: string | null,
): WordRevisions {
  const doc = parse(documentXml)
  const changes: WordChange[] = []
  const insertedParagraphs = keepInsertedParagraphs(doc)
  // A move's source reads like a deletion, its destination like an insertion (mammoth, too, keeps w:moveTo and
  // drops w:moveFrom): in document order, so that each half is found where it stands.
  const removals = [...elements(doc, 'del'), ...elements(doc, 'moveFrom')].filter(holdsRuns)
  for (const del of inDocumentOrder(removals)) {
    if (!del.parentNode) continue
    const n = changes.length
    const moved = del.localName === 'moveFrom'
    const following = moved ? null : nextElement(del)
    const paired =
      following?.namespaceURI === W &&
      following.localName === 'ins' &&
      holdsRuns(following) &&
      attr(following, 'author') === attr(del, 'author')
        ? following
        : null
    changes.push({
      n,
      author: attr(del, 'author'),
      date: attr(del, 'date'),
      ...(moved ? { moved } : {}),
      deleted: removedText(del),
      inserted: paired ? runText(paired, 't') : '',
    })
    const parent = del.parentNode
    parent.insertBefore(markerRun(doc, marker('d', n)), del)
    for (const run of Array.from(del.childNodes)) {
      if (run.nodeType === 1) {
        for (const text of elements(run as El, 'delText')) {
          const t = doc.createElementNS(W, 'w:t')
          t.setAttribute('xml:space', 'preserve')
          t.appendChild(doc.createTextNode(text.textContent ?? ''))
          text.parentNode?.replaceChild(t, text)
        }
      }
      parent.insertBefore(run, del)
    }
    parent.insertBefore(markerRun(doc, marker('e', n)), del)
    parent.removeChild(del)
    paired?.parentNode?.removeChild(paired)
  }
  const insertions = [...elements(doc, 'ins'), ...elements(doc, 'moveTo')].filter(holdsRuns)
  for (const ins of inDocumentOrder(insertions)) {
    if (!ins.parentNode) continue
    const n = changes.length
    changes.push({
      n,
      author: attr(ins, 'author'),
      date: attr(ins, 'date'),
      ...(ins.localName === 'moveTo' ? { moved: true } : {}),
      deleted: '',
      inserted: runText(ins, 't'),
    })
    ins.parentNode.replaceChild(markerRun(doc, marker('i', n)), ins)
  }
  for (const [name, kind] of [
    ['commentRangeStart', 's'],
    ['commentRangeEnd', 'f'],
  ] as const)
    for (const range of elements(doc, name)) placeCommentMark(doc, range, marker(kind, attr(range, 'id')))
  return {
    documentXml: new XMLSerializer().serializeToString(doc),
    changes,
    comments: commentsXml ? readComments(commentsXml, commentsExtendedXml) : [],
    insertedParagraphs,
  }
}

/**
 * A paragraph whose only text is inserted: kept as it reads (its insertions unwrapped), since a suggestion
 * changes text within a paragraph and cannot add one.
 */
function keepInsertedParagraphs(doc: Document): number {
  let kept = 0
  for (const paragraph of elements(doc, 'p')) {
    const inserted = [...elements(paragraph, 'ins'), ...elements(paragraph, 'moveTo')].filter(holdsRuns)
    if (inserted.length === 0) continue
    // Text deleted from it too: a replacement within the paragraph (a heading reworded), not a new paragraph.
    if ([...elements(paragraph, 'del'), ...elements(paragraph, 'moveFrom')].some(holdsRuns)) continue
    const all = runText(paragraph, 't')
    const insertedText = inserted.map((ins) => runText(ins, 't')).join('')
    if (all.trim() !== insertedText.trim()) continue
    for (const ins of inserted) {
      while (ins.firstChild) ins.parentNode?.insertBefore(ins.firstChild, ins)
      ins.parentNode?.removeChild(ins)
    }
    kept += 1
  }
  return kept
}

/** A comment's range mark as a marker run: in its paragraph, or (between paragraphs) in the nearest one. */
function placeCommentMark(doc: Document, range: El, text: string): void {
  const parent = range.parentNode as El | null
  if (!parent) return
  if (parent.localName === 'p' || parent.localName === 'hyperlink') {
    parent.replaceChild(markerRun(doc, text), range)
    return
  }
  const start = range.localName === 'commentRangeStart'
  let sibling: Node | null = start ? range.nextSibling : range.previousSibling
  while (sibling && !(sibling.nodeType === 1 && (sibling as El).localName === 'p'))
    sibling = start ? sibling.nextSibling : sibling.previousSibling
  if (sibling) {
    const paragraph = sibling as El
    const properties = elements(paragraph, 'pPr')[0]
    if (start)
      paragraph.insertBefore(markerRun(doc, text), properties ? properties.nextSibling : paragraph.firstChild)
    else paragraph.appendChild(markerRun(doc, text))
  }
  parent.removeChild(range)
}

function readComments(commentsXml: string, extendedXml: string | null): WordComment[] {
  const doc = parse(commentsXml)
  const byParaId = new Map<string, string>()
  const comments: WordComment[] = elements(doc, 'comment').map((el) => {
    const id = attr(el, 'id')
    const paragraphs = elements(el, 'p')
    for (const p of paragraphs) {
      const paraId = p.getAttributeNS(W14, 'paraId') ?? p.getAttribute('w14:paraId')
      if (paraId) byParaId.set(paraId.toUpperCase(), id)
    }
    return {
      id,
      author: attr(el, 'author') || 'Unknown author',
      date: attr(el, 'date'),
      text: paragraphs
        .map((p) => runText(p, 't'))
        .join('\n')
        .trim(),
      parentId: null,
    }
  })
  if (extendedXml) {
    const extended = parse(extendedXml)
    const entries = Array.from(extended.getElementsByTagNameNS(W15, 'commentEx'))
    const byId = new Map(comments.map((c) => [c.id, c]))
    for (const entry of entries) {
      const own = byParaId.get((entry.getAttributeNS(W15, 'paraId') ?? '').toUpperCase())
      const parent = byParaId.get((entry.getAttributeNS(W15, 'paraIdParent') ?? '').toUpperCase())
      const comment = own ? byId.get(own) : undefined
      if (comment && parent && parent !== own) comment.parentId = parent
    }
  }
  return comments
}
