/**
 * Open comments and suggestions in a Word export (issue 24, `annotations=true`): each open suggestion becomes real
 * tracked changes (its original text deleted, its replacement inserted, in its author's name and at its date), each
 * open comment thread a Word comment on the same range with its replies threaded under it. Anchors are Yjs relative
 * positions (SYNC.md §7): they are resolved against the live document here, on the main thread, into places in the
 * laid-out runs (each run knows the Y.XmlText and index it starts at: documentModel.ts `source`), so that the
 * writer only prints marks it is given.
 */
import * as Y from 'yjs'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { fromBase64 } from '../../shared/clauses/anchors.ts'
import type { WordComment } from './exportDocument.ts'
import type { Item, LaidOutClause, Run } from './layout.ts'

export interface OpenAnnotations {
  comments: readonly PresentedComment[]
  suggestions: readonly PresentedSuggestion[]
}

export interface PlacedAnnotations {
  clauses: LaidOutClause[]
  comments: WordComment[]
  /** What could not be placed, one line each (e.g. a suggestion whose text changed since). */
  skipped: string[]
}

/** A place in the document: the number of a Y.XmlText (documentModel.ts `texts`) and an index in it. */
interface Point {
  text: number
  index: number
}

/** What is put at a point: a comment mark, or an inserted text run. */
type Insertion = { run: Run; order: number }

/** A suggestion's deleted range within one text. */
interface Deletion {
  from: number
  to: number
  author: string
  date: string
}

/** What goes into one text (by its number): insertions by index, and deleted ranges. */
type Marks = Map<number, { at: Map<number, Insertion[]>; deletions: Deletion[] }>

const day = (iso: string) => iso.replace(/\.\d+Z$/, 'Z')

export function placeAnnotations(
  doc: Y.Doc,
  clauses: readonly LaidOutClause[],
  texts: ReadonlyMap<Y.XmlText, number>,
  open: OpenAnnotations,
  nameOf: (userId: string) => string,
): PlacedAnnotations {
  // Anchors were checked against the section when they were made; here only where they stand now is asked, without
  // reading each section's text again (thousands of comments on a large deliverable).
  const position = (base64: string): Y.AbsolutePosition | null => {
    try {
      return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(base64)), doc)
    } catch {
      return null
    }
  }
  const plain = new Map<Y.XmlText, string>()
  const plainOf = (text: Y.XmlText) => {
    let value = plain.get(text)
    if (value === undefined) {
      value = (text.toDelta() as { insert: unknown }[])
        .map((op) => (typeof op.insert === 'string' ? op.insert : ' '))
        .join('')
      plain.set(text, value)
    }
    return value
  }
  const exported = new Set(clauses.map((c) => c.clause.id))
  const marks: Marks = new Map()
  const marksOf = (text: number) => {
    let found = marks.get(text)
    if (!found) {
      found = { at: new Map(), deletions: [] }
      marks.set(text, found)
    }
    return found
  }
  const skipped: string[] = []
  let order = 0
  const put = (point: Point, run: Run) => {
    const { at } = marksOf(point.text)
    at.set(point.index, [...(at.get(point.index) ?? []), { run, order: order++ }])
  }
  // Only texts the layout printed can take a mark (an empty text has no run to put it beside).
  const printed = printedTexts(clauses)
  const shown = (point: Point | null) =>
    point !== null && point.index <= (printed.get(point.text) ?? -1) ? point : null
  const pointOf = (position: Y.AbsolutePosition, end: boolean): Point | null =>
    shown(textPoint(position, end, texts))

  for (const suggestion of open.suggestions) {
    if (suggestion.status !== 'open' || !exported.has(suggestion.sectionId)) continue
    const start = position(suggestion.anchor.start)
    const end = position(suggestion.anchor.end)
    const text = start?.type instanceof Y.XmlText && start.type === end?.type ? start.type : null
    const number = text ? texts.get(text) : undefined
    const range =
      text && start && end && start.index <= end.index ? { from: start.index, to: end.index } : null
    if (
      !text ||
      !range ||
      number === undefined ||
      !shown({ text: number, index: range.to }) ||
      plainOf(text).slice(range.from, range.to) !== suggestion.original
    ) {
      skipped.push(`suggestion ${suggestion.id}: the text it was made on has changed since`)
      continue
    }
    const author = nameOf(suggestion.authorId)
    const date = day(suggestion.createdAt)
    if (range.to > range.from)
      marksOf(number).deletions.push({ from: range.from, to: range.to, author, date })
    if (suggestion.replacement)
      put(
        { text: number, index: range.to },
        { text: suggestion.replacement, revision: { type: 'ins', author, date } },
      )
  }

  const comments: WordComment[] = []
  const headingRanges = new Map<string, number[]>()
  const threads = open.comments.filter((c) => c.replyTo === null && !c.resolved && exported.has(c.sectionId))
  const repliesTo = new Map<string, PresentedComment[]>()
  for (const reply of open.comments)
    if (reply.replyTo !== null && !reply.deleted)
      repliesTo.set(reply.replyTo, [...(repliesTo.get(reply.replyTo) ?? []), reply])
  for (const thread of threads) {
    const replies = (repliesTo.get(thread.id) ?? []).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    if (thread.deleted && replies.length === 0) continue
    const rootId = comments.length
    const startAt = thread.anchor ? position(thread.anchor.start) : null
    const endAt = thread.anchor ? position(thread.anchor.end) : null
    const start = startAt ? pointOf(startAt, false) : null
    const end = endAt ? pointOf(endAt, true) : null
    const gone = thread.anchor !== null && (thread.removed || !start || !end)
    const ids: number[] = []
    for (const comment of [thread, ...replies]) {
      const id = comments.length
      ids.push(id)
      const text = comment.deleted ? '(This message was deleted.)' : comment.body
      comments.push({
        id,
        author: nameOf(comment.authorId),
        initials: initialsOf(nameOf(comment.authorId)),
        date: day(comment.createdAt),
        text: id === rootId && gone ? `${text}\n(On text since deleted: “${thread.quote}”.)` : text,
        ...(id !== rootId ? { parentId: rootId } : {}),
      })
    }
    if (start && end && !gone) {
      // Word nests a thread's ranges: every reply has its own range over the same text.
      for (const id of ids) put(start, { text: '', comment: { id, edge: 'start' } })
      for (const id of [...ids].reverse()) put(end, { text: '', comment: { id, edge: 'end' } })
    } else headingRanges.set(thread.sectionId, [...(headingRanges.get(thread.sectionId) ?? []), ...ids])
  }

  const placed = clauses.map((laid) => {
    const items = laid.items.map((item) => markItem(item, marks))
    const onHeading = headingRanges.get(laid.clause.id)
    return { clause: laid.clause, items: onHeading ? aroundHeading(items, onHeading) : items }
  })
  return { clauses: placed, comments, skipped }
}

/** The end index of each text that has runs in the layout, by its number. */
function printedTexts(clauses: readonly LaidOutClause[]): Map<number, number> {
  const ends = new Map<number, number>()
  const visit = (item: Item) => {
    if (item.type === 'table') {
      for (const row of item.rows) for (const cell of row.cells) cell.forEach(visit)
      return
    }
    for (const { source, text } of item.runs)
      if (source) ends.set(source.text, Math.max(ends.get(source.text) ?? 0, source.index + text.length))
  }
  for (const clause of clauses) clause.items.forEach(visit)
  return ends
}

/**
 * A position as a place in a text: in a text, itself; in an element (before the child at its index), the start of
 * the first text from there on, or for an end, the end of the last text before it.
 */
function textPoint(
  position: Y.AbsolutePosition,
  end: boolean,
  texts: ReadonlyMap<Y.XmlText, number>,
): Point | null {
  const { type, index } = position
  if (type instanceof Y.XmlText) {
    const number = texts.get(type)
    return number === undefined ? null : { text: number, index }
  }
  if (!(type instanceof Y.XmlElement)) return null
  const children = type.toArray() as (Y.XmlElement | Y.XmlText)[]
  const pick = (nodes: (Y.XmlElement | Y.XmlText)[], last: boolean): Point | null => {
    const ordered = last ? [...nodes].reverse() : nodes
    for (const node of ordered) {
      const found = firstText(node, last, texts)
      if (found) return found
    }
    return null
  }
  return end
    ? (pick(children.slice(0, index), true) ?? pick(children.slice(index), false))
    : (pick(children.slice(index), false) ?? pick(children.slice(0, index), true))
}

function firstText(
  node: Y.XmlElement | Y.XmlText,
  last: boolean,
  texts: ReadonlyMap<Y.XmlText, number>,
): Point | null {
  if (node instanceof Y.XmlText) {
    const number = texts.get(node)
    return number === undefined ? null : { text: number, index: last ? node.length : 0 }
  }
  const children = node.toArray() as (Y.XmlElement | Y.XmlText)[]
  for (const child of last ? children.reverse() : children) {
    const found = firstText(child, last, texts)
    if (found) return found
  }
  return null
}

/** The clause's whole-section (and orphaned) comments: a range over its heading's title. */
function aroundHeading(items: Item[], ids: number[]): Item[] {
  const [heading, ...rest] = items
  if (heading?.type !== 'para') return items
  const starts: Run[] = ids.map((id) => ({ text: '', comment: { id, edge: 'start' } }))
  const ends: Run[] = [...ids].reverse().map((id) => ({ text: '', comment: { id, edge: 'end' } }))
  const titleAt = heading.runs.findIndex((run) => !run.generated)
  const runs =
    titleAt < 0
      ? [...heading.runs, ...starts, ...ends]
      : [...heading.runs.slice(0, titleAt), ...starts, ...heading.runs.slice(titleAt), ...ends]
  return [{ ...heading, runs }, ...rest]
}

function markItem(item: Item, marks: Marks): Item {
  if (item.type === 'table')
    return {
      ...item,
      rows: item.rows.map((row) => ({
        ...row,
        cells: row.cells.map((cell) => cell.map((inner) => markItem(inner, marks))),
      })),
    }
  if (!item.runs.some((run) => run.source)) return item
  return { ...item, runs: markRuns(item.runs, marks) }
}

/**
 * The runs cut at every point that has something to put there (and at the ends of deletions), the deleted parts
 * marked, the insertions put in. A point at the end of a text goes after the text's last run.
 */
function markRuns(runs: readonly Run[], marks: Marks): Run[] {
  const ends = new Map<number, number>()
  for (const run of runs)
    if (run.source)
      ends.set(run.source.text, Math.max(ends.get(run.source.text) ?? 0, run.source.index + run.text.length))
  const out: Run[] = []
  for (const run of runs) {
    const source = run.source
    const textMarks = source ? marks.get(source.text) : undefined
    if (!source || !textMarks) {
      out.push(run)
      continue
    }
    const { at, deletions } = textMarks
    const emit = (index: number) => {
      for (const insertion of (at.get(index) ?? []).sort((a, b) => a.order - b.order)) out.push(insertion.run)
    }
    const end = source.index + run.text.length
    const inside = (index: number) => index > source.index && index < end
    const cuts = new Set<number>([0, run.text.length])
    for (const index of at.keys()) if (inside(index)) cuts.add(index - source.index)
    for (const d of deletions)
      for (const index of [d.from, d.to]) if (inside(index)) cuts.add(index - source.index)
    const sorted = [...cuts].sort((a, b) => a - b)
    for (let i = 0; i + 1 < sorted.length; i++) {
      const from = sorted[i]!
      const to = sorted[i + 1]!
      const index = source.index + from
      emit(index)
      const piece: Run = { ...run, text: run.text.slice(from, to), source: { text: source.text, index } }
      if (run.clients) piece.clients = run.clients.slice(from, to)
      const deletion = deletions.find((d) => d.from <= index && index < d.to)
      if (deletion && !run.revision)
        piece.revision = { type: 'del', author: deletion.author, date: deletion.date }
      out.push(piece)
    }
    if (end === ends.get(source.text)) emit(end)
  }
  return out
}

function initialsOf(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase())
      .join('')
      .slice(0, 4) || '?'
  )
}
