/**
 * Where a suggestion's words meet the clause's words. A suggestion is plain text typed in a form: the whole
 * clause, or only the passage it changes (one definition, one sentence), with "…" (or "...") for text left as it
 * is, as in amendment style. Aligning word by word (the `diff` library, on tokens) tells which words change, so
 * the edit can touch only those and the clause keeps its entries, NOTEs, lists and tables.
 *
 * Which text the suggestion was made on: the whole clause, unless reading it so would delete more than half of the
 * clause's words; then it is the run of text blocks (paragraphs, entry fields) it matches best. A suggestion that
 * really deletes most of a clause and keeps a passage is then read as that passage: the preview shows it.
 */
import { diffArrays } from 'diff'

export interface Token {
  text: string
  /** Index of its first character in the text it was cut from. */
  start: number
}

/** Words, single punctuation marks, an ellipsis, a line break, a run of other white space. */
const TOKEN = /\.{3}|…|[\p{L}\p{N}_]+|\n|[^\S\n]+|[\s\S]/gu
const ELLIPSIS = /^(?:\.{3}|…)$/
const SPACE = /^[^\S\n]+$/
const WORD = /[\p{L}\p{N}]/u

export function tokenize(text: string): Token[] {
  return Array.from(text.matchAll(TOKEN), (match) => ({ text: match[0], start: match.index }))
}

/** What compares equal: any run of spaces, any dash, straight and curly quotes. */
function key(token: string): string {
  if (SPACE.test(token)) return ' '
  if (/^[‐‑‒–—−-]$/.test(token)) return '-'
  if (/^[’‘'`]$/.test(token)) return "'"
  if (/^[“”"]$/.test(token)) return '"'
  return token
}

const isEllipsis = (token: string) => ELLIPSIS.test(token)
const isSpace = (token: string) => SPACE.test(token) || token === '\n'
const weight = (token: string) => (WORD.test(token) ? token.length : 0)

/** An operation on the base tokens, in order: kept, removed, or text added before base token `at`. */
export type AlignOp =
  | { kind: 'same'; from: number; to: number; elided?: boolean }
  | { kind: 'removed'; from: number; to: number }
  | { kind: 'added'; at: number; text: string }

export interface Alignment {
  ops: AlignOp[]
  /** The base token range the suggestion was read against (the whole base, or a passage of it). */
  window: { from: number; to: number }
}

/**
 * Aligns the suggestion with `base`. `slots` are the token ranges of the base's text blocks, in order: a passage
 * is a run of whole slots.
 */
export function alignSuggestion(
  base: readonly Token[],
  slots: readonly { from: number; to: number }[],
  suggestion: string,
): Alignment {
  const wanted = tokenize(suggestion.replace(/\r\n?/g, '\n').trim())
  const whole = { from: 0, to: base.length }
  const raw = diffWindow(base, whole, wanted)
  let total = 0
  for (const token of base) total += weight(token.text)
  if (slots.length < 2 || removedWeight(base, raw) * 2 <= total)
    return { ops: elide(base, raw), window: whole }
  const wholeOps = elide(base, raw)
  let best = { window: whole, ops: wholeOps, score: score(base, wholeOps) }
  for (const window of candidatePassages(base, slots, raw)) {
    const ops = elide(base, diffWindow(base, window, wanted))
    const value = score(base, ops)
    const wider = window.to - window.from > best.window.to - best.window.from
    if (value > best.score || (value === best.score && wider)) best = { window, ops, score: value }
  }
  const { window, ops } = best
  const around: AlignOp[] = []
  if (window.from > 0) around.push({ kind: 'same', from: 0, to: window.from })
  around.push(...ops)
  if (window.to < base.length) around.push({ kind: 'same', from: window.to, to: base.length })
  return { ops: around, window }
}

/** Kept words count for, removed and added ones against; text an ellipsis stands for counts for nothing. */
function score(base: readonly Token[], ops: readonly AlignOp[]): number {
  let value = 0
  for (const op of ops) {
    if (op.kind === 'added') for (const t of tokenize(op.text)) value -= weight(t.text)
    else if (op.kind === 'removed') for (let i = op.from; i < op.to; i++) value -= weight(base[i]!.text)
    else if (!op.elided) for (let i = op.from; i < op.to; i++) value += weight(base[i]!.text)
  }
  return value
}

/** Runs of slots that start and end in a slot holding a word the suggestion shares with the clause. */
function candidatePassages(
  base: readonly Token[],
  slots: readonly { from: number; to: number }[],
  raw: readonly AlignOp[],
): { from: number; to: number }[] {
  const kept = new Uint8Array(base.length)
  for (const op of raw) if (op.kind === 'same') kept.fill(1, op.from, op.to)
  const matched = slots.filter((slot) => {
    for (let i = slot.from; i < slot.to; i++) if (kept[i] && weight(base[i]!.text) > 0) return true
    return false
  })
  // Each candidate costs a diff (n blocks: n(n+1)/2 of them): a clause with many matching blocks is read whole.
  if (matched.length > 16) return []
  const passages: { from: number; to: number }[] = []
  for (let i = 0; i < matched.length; i++)
    for (let j = i; j < matched.length; j++) passages.push({ from: matched[i]!.from, to: matched[j]!.to })
  return passages
}

/**
 * Line by line first, then word by word inside the lines that differ: a line the suggestion drops is removed
 * whole, instead of keeping its words that happen to recur further on ("virtual" of a NOTE matched with the
 * "virtual world" after it).
 */
function diffWindow(
  base: readonly Token[],
  window: { from: number; to: number },
  wanted: Token[],
): AlignOp[] {
  const baseLines = lines(base, window.from, window.to)
  const wantedLines = lines(wanted, 0, wanted.length)
  const changes = diffArrays(
    baseLines.map((line) => lineKey(base, line)),
    wantedLines.map((line) => lineKey(wanted, line)),
  )
  const ops: AlignOp[] = []
  let b = window.from
  let w = 0
  let bi = 0
  let wi = 0
  for (const change of changes) {
    const count = change.count ?? change.value.length
    if (change.removed) bi += count
    else if (change.added) wi += count
    else
      for (let k = 0; k < count; k++, bi++, wi++) {
        const baseLine = baseLines[bi]!
        const wantedLine = wantedLines[wi]!
        ops.push(...diffWords(base, b, baseLine.from, wanted, w, wantedLine.from))
        ops.push({ kind: 'same', from: baseLine.from, to: baseLine.to })
        b = baseLine.to
        w = wantedLine.to
        // The line break after it is kept when both have one; otherwise it belongs to the next change.
        if (b < window.to && base[b]!.text === '\n' && wanted[w]?.text === '\n') {
          ops.push({ kind: 'same', from: b, to: b + 1 })
          b++
          w++
        }
      }
  }
  ops.push(...diffWords(base, b, window.to, wanted, w, wanted.length))
  return ops
}

function lines(tokens: readonly Token[], from: number, to: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = []
  let start = from
  for (let i = from; i < to; i++)
    if (tokens[i]!.text === '\n') {
      out.push({ from: start, to: i })
      start = i + 1
    }
  out.push({ from: start, to })
  return out
}

const lineKey = (tokens: readonly Token[], line: { from: number; to: number }) =>
  tokens
    .slice(line.from, line.to)
    .map((t) => key(t.text))
    .join('')

function diffWords(
  base: readonly Token[],
  bFrom: number,
  bTo: number,
  wanted: readonly Token[],
  wFrom: number,
  wTo: number,
): AlignOp[] {
  const added = (from: number, to: number, at: number): AlignOp => ({
    kind: 'added',
    at,
    text: wanted
      .slice(from, to)
      .map((t) => t.text)
      .join(''),
  })
  if (bFrom === bTo) return wFrom === wTo ? [] : [added(wFrom, wTo, bFrom)]
  if (wFrom === wTo) return [{ kind: 'removed', from: bFrom, to: bTo }]
  const changes = diffArrays(
    base.slice(bFrom, bTo).map((t) => key(t.text)),
    wanted.slice(wFrom, wTo).map((t) => key(t.text)),
  )
  const ops: AlignOp[] = []
  let at = bFrom
  let next = wFrom
  for (const change of changes) {
    const count = change.count ?? change.value.length
    if (change.added) {
      ops.push(added(next, next + count, at))
      next += count
    } else {
      ops.push({ kind: change.removed ? 'removed' : 'same', from: at, to: at + count })
      at += count
      if (!change.removed) next += count
    }
  }
  return ops
}

/**
 * A change group (the operations between two kept words) whose added text holds an ellipsis keeps the text it
 * would remove: the ellipsis stands for it. Kept white space does not end a group, so "… worlds" elides
 * "An integrative ecosystem of virtual" even when the diff kept a space in between.
 */
function elide(base: readonly Token[], ops: readonly AlignOp[]): AlignOp[] {
  const out: AlignOp[] = []
  let group: AlignOp[] = []
  const flush = () => {
    const elided = group.some(
      (op) => op.kind === 'added' && tokenize(op.text).some((t) => isEllipsis(t.text)),
    )
    for (const op of group) {
      if (op.kind === 'added') {
        const text = elided ? withoutEllipses(op.text) : op.text
        if (text) out.push({ ...op, text })
      } else out.push(elided && op.kind === 'removed' ? { ...op, kind: 'same', elided: true } : op)
    }
    group = []
  }
  for (const op of ops) {
    const significant = op.kind === 'same' && base.slice(op.from, op.to).some((t) => !isSpace(t.text))
    if (significant) {
      flush()
      out.push(op)
    } else group.push(op)
  }
  flush()
  return out
}

function withoutEllipses(text: string): string {
  const kept = tokenize(text).filter((t) => !isEllipsis(t.text))
  const joined = kept.map((t) => t.text).join('')
  return joined.trim() ? joined : ''
}

function removedWeight(base: readonly Token[], ops: readonly AlignOp[]): number {
  let removed = 0
  for (const op of ops)
    if (op.kind === 'removed') for (let i = op.from; i < op.to; i++) removed += weight(base[i]!.text)
  return removed
}
