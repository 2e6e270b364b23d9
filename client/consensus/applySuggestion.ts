/**
 * Applying an objection's suggestion: the words that differ between the clause's own text and the suggestion
 * (suggestionAlignment.ts) are changed where they stand, as one ordinary editor transaction. Definitions, NOTEs,
 * lists and tables keep their structure; only a block whose whole text (and line) the suggestion drops is removed,
 * and new lines become paragraphs (or NOTEs, when they start "NOTE –"). It travels to everyone as a normal
 * collaborative edit, is undone with one Undo, and the lock guard still applies. The plan is computed first so
 * the editor sees what will change before applying it (SuggestionPreview.tsx).
 */
import type { Editor } from '@tiptap/core'
import type { Node as PmNode, Schema } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'
import { noteText } from '../../shared/clauses/typedText.ts'
import { clausePosition } from '../editor/outline.ts'
import { type ClauseTextMap, clauseTextMap } from './clauseTextMap.ts'
import type { RedlineRun } from './redline.ts'
import { type AlignOp, alignSuggestion, type Token, tokenize } from './suggestionAlignment.ts'

type Edit =
  | { kind: 'delete'; from: number; to: number }
  | { kind: 'text'; at: number; text: string }
  | { kind: 'blocks'; at: number; lines: string[] }

export interface SuggestionPlan {
  /** The clause's text with the changes marked, word by word, as the preview shows it. */
  runs: RedlineRun[]
  /** The passage the suggestion was read against, when it is not the whole clause. */
  passage: string | null
  edits: Edit[]
}

/** Returns null when the clause is not in the document. */
export function planSuggestion(doc: PmNode, clauseId: string, suggestion: string): SuggestionPlan | null {
  const clausePos = clausePosition(doc, clauseId)
  return clausePos < 0 ? null : planClauseSuggestion(doc.nodeAt(clausePos)!, clausePos, suggestion)
}

/** The plan for a clause node that starts at `clausePos` (any number when only the preview's runs are needed). */
export function planClauseSuggestion(clause: PmNode, clausePos: number, suggestion: string): SuggestionPlan {
  const map = clauseTextMap(clause, clausePos)
  const base = tokenize(map.text)
  const slots = map.slots.map((slot) => tokenRange(base, slot))
  const { ops, window } = alignSuggestion(base, slots, suggestion)
  const whole = window.from === 0 && window.to === base.length
  const passage = whole ? null : textOf(base, window.from, window.to)
  return { runs: runsOf(base, ops), passage, edits: editsOf(map, base, ops) }
}

export const planChanges = (plan: SuggestionPlan) => plan.edits.length > 0

/** Returns false when the clause is not in the document or the edit was not allowed (e.g. the clause is locked). */
export function applySuggestionTo(editor: Editor, clauseId: string, text: string): boolean {
  const plan = planSuggestion(editor.state.doc, clauseId, text)
  if (!plan || !planChanges(plan)) return false
  const before = editor.state.doc
  editor.view.dispatch(applyEdits(editor.state.tr, plan.edits).scrollIntoView())
  return editor.state.doc !== before
}

function tokenRange(tokens: readonly Token[], chars: { from: number; to: number }) {
  let from = tokens.findIndex((t) => t.start + t.text.length > chars.from)
  if (from < 0) from = tokens.length
  let to = from
  while (to < tokens.length && tokens[to]!.start < chars.to) to++
  return { from, to }
}

const textOf = (tokens: readonly Token[], from: number, to: number) =>
  tokens
    .slice(from, to)
    .map((t) => t.text)
    .join('')

function runsOf(base: readonly Token[], ops: readonly AlignOp[]): RedlineRun[] {
  return ops.map((op) =>
    op.kind === 'added'
      ? { kind: 'inserted', text: op.text }
      : { kind: op.kind === 'same' ? 'same' : 'deleted', text: textOf(base, op.from, op.to) },
  )
}

function editsOf(map: ClauseTextMap, base: readonly Token[], ops: readonly AlignOp[]): Edit[] {
  const removed = new Uint8Array(map.chars.length)
  const charAt = (token: number) => (token < base.length ? base[token]!.start : map.chars.length)
  for (const op of ops) if (op.kind === 'removed') removed.fill(1, charAt(op.from), charAt(op.to))
  const edits: Edit[] = []
  const dropped = map.blocks.filter((block, index) => wholeBlockRemoved(map, removed, block, index))
  for (const block of dropped) edits.push({ kind: 'delete', from: block.start, to: block.end })
  const insideDropped = (pos: number) => dropped.some((b) => pos > b.start && pos < b.end)
  // Editable characters removed one by one, merged into ranges, outside the blocks removed whole.
  let range: { from: number; to: number } | null = null
  map.chars.forEach((place, index) => {
    const pos = removed[index] && place.pos !== null && !insideDropped(place.pos) ? place.pos : null
    if (pos !== null && range && range.to === pos) range.to = pos + 1
    else if (pos !== null) {
      if (range) edits.push({ kind: 'delete', ...range })
      range = { from: pos, to: pos + 1 }
    }
  })
  if (range) edits.push({ kind: 'delete', ...(range as { from: number; to: number }) })
  for (const op of ops)
    if (op.kind === 'added') edits.push(...insertion(map, charAt(op.at), op.text, insideDropped))
  return edits
}

function wholeBlockRemoved(
  map: ClauseTextMap,
  removed: Uint8Array,
  block: ClauseTextMap['blocks'][0],
  index: number,
) {
  if (block.charTo === block.charFrom) return false
  for (let i = block.charFrom; i < block.charTo; i++) if (!removed[i]) return false
  const lineBefore = index > 0 && removed[block.charFrom - 1] === 1
  const lineAfter = index < map.blocks.length - 1 && removed[block.charTo] === 1
  return lineBefore || lineAfter || map.blocks.length === 1
}

/** Where text added before character `at` goes; lines after a line break become blocks of their own. */
function insertion(
  map: ClauseTextMap,
  at: number,
  text: string,
  insideDropped: (pos: number) => boolean,
): Edit[] {
  const lines = text.split('\n')
  const prev = map.chars[at - 1]
  const next = map.chars[at]
  if (map.blocks.length === 0) return [{ kind: 'blocks', at: map.insertAt, lines: lines.filter(Boolean) }]
  const inline = placeFor(map, at)
  const edits: Edit[] = []
  const addText = (value: string) => {
    if (!value) return
    if (inline === null || insideDropped(inline))
      edits.push({ kind: 'blocks', at: blockStart(map, at), lines: [value] })
    else edits.push({ kind: 'text', at: inline, text: value })
  }
  if (lines.length === 1) {
    addText(text)
    return edits
  }
  const atBlockStart =
    next !== undefined && next.block >= 0 && (prev === undefined || prev.block !== next.block)
  if (atBlockStart) {
    edits.push({
      kind: 'blocks',
      at: map.blocks[next.block]!.start,
      lines: lines.slice(0, -1).filter(Boolean),
    })
    addText(lines.at(-1)!)
  } else {
    addText(lines[0]!)
    const owner = prev && prev.block >= 0 ? map.blocks[prev.block]! : map.blocks.at(-1)!
    edits.push({ kind: 'blocks', at: owner.end, lines: lines.slice(1).filter(Boolean) })
  }
  return edits
}

function placeFor(map: ClauseTextMap, at: number): number | null {
  const prev = map.chars[at - 1]
  if (prev?.after != null) return prev.after
  for (let i = at; i < map.chars.length; i++) {
    const place = map.chars[i]!
    if (place.before !== null) return place.before
    if (place.after !== null) return place.after
    if (place.block === -1) break
  }
  for (let i = at - 1; i >= 0; i--) {
    const place = map.chars[i]!
    if (place.after !== null) return place.after
    if (place.before !== null) return place.before
  }
  return null
}

function blockStart(map: ClauseTextMap, at: number): number {
  const place = map.chars[Math.min(at, map.chars.length - 1)]
  return place && place.block >= 0 ? map.blocks[place.block]!.start : map.insertAt
}

/** New lines as blocks: a line "NOTE – …" becomes a NOTE, any other a paragraph. */
function blocksOf(schema: Schema, lines: readonly string[]): PmNode[] {
  return lines.map((line) => {
    const note = noteText(line)
    const content = (value: string) => (value ? schema.text(value) : null)
    return note !== null
      ? schema.nodes.note!.create(null, content(note))
      : schema.nodes.paragraph!.create(null, content(line))
  })
}

/** Applies the edits, made against `tr.doc`, from the end of the document backwards so positions stay valid. */
export function applyEdits(tr: Transaction, edits: readonly Edit[]): Transaction {
  const at = (edit: Edit) => (edit.kind === 'delete' ? edit.from : edit.at)
  const sorted = [...edits].sort((a, b) => at(b) - at(a) || (a.kind === 'delete' ? -1 : 1))
  const { schema } = tr.doc.type
  for (const edit of sorted) {
    if (edit.kind === 'delete') tr.delete(edit.from, edit.to)
    else if (edit.kind === 'text') tr.insert(edit.at, schema.text(edit.text, tr.doc.resolve(edit.at).marks()))
    else if (edit.lines.length > 0) tr.insert(edit.at, blocksOf(schema, edit.lines))
  }
  return tr
}
