/**
 * Revision marks from a base state (a version) to the present: clauses matched by their id, so that a moved or
 * renamed clause is compared with itself; inside a clause, paragraphs aligned by their text and the changed ones
 * compared word by word (the `diff` package). Inserted text is attributed to the user whose Yjs client wrote it;
 * Yjs keeps no record of who deleted what, so deletions are attributed to the product.
 */
import { diffArrays, diffWordsWithSpace } from 'diff'
import { type Item, itemText, type LaidOutClause, type Run } from './layout.ts'

export const PRODUCT_AUTHOR = 'Accord'

/** The author's name for a Yjs client (PRODUCT_AUTHOR when the server cannot tell). */
export type AuthorOf = (client: number) => string

/** The present clauses with the changes since `base` marked, and the removed clauses where they stood. */
export function markRevisions(
  base: readonly LaidOutClause[],
  present: readonly LaidOutClause[],
  authorOf: AuthorOf,
): LaidOutClause[] {
  const baseById = new Map(base.map((c) => [c.clause.id, c]))
  const presentIds = new Set(present.map((c) => c.clause.id))
  const removedAfter = removedClausesByAnchor(base, presentIds)
  const out: LaidOutClause[] = [...(removedAfter.get(null) ?? []).map(deletedClause)]
  for (const clause of present) {
    const before = baseById.get(clause.clause.id)
    const items = before
      ? markItems(before.items, clause.items, authorOf)
      : insertedItems(clause.items, authorOf)
    out.push({ clause: clause.clause, items })
    for (const removed of removedAfter.get(clause.clause.id) ?? []) out.push(deletedClause(removed))
  }
  return out
}

/** Each removed clause keyed by the nearest clause before it (in the base) that is still present; null: at the start. */
function removedClausesByAnchor(
  base: readonly LaidOutClause[],
  presentIds: ReadonlySet<string>,
): Map<string | null, LaidOutClause[]> {
  const byAnchor = new Map<string | null, LaidOutClause[]>()
  let anchor: string | null = null
  for (const clause of base) {
    if (presentIds.has(clause.clause.id)) {
      anchor = clause.clause.id
      continue
    }
    byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), clause])
  }
  return byAnchor
}

function deletedClause(clause: LaidOutClause): LaidOutClause {
  return { clause: clause.clause, items: clause.items.map((item) => withRevision(item, deleted)) }
}

const deleted = (run: Run): Run[] =>
  run.generated ? [run] : [{ ...run, revision: { type: 'del', author: PRODUCT_AUTHOR } }]

function insertedItems(items: readonly Item[], authorOf: AuthorOf): Item[] {
  return items.map((item) => withRevision(item, (run) => (run.generated ? [run] : inserted(run, authorOf))))
}

function withRevision(item: Item, mark: (run: Run) => Run[]): Item {
  if (item.type === 'para') return { ...item, runs: item.runs.flatMap(mark) }
  return {
    ...item,
    rows: item.rows.map((row) => ({
      ...row,
      cells: row.cells.map((cell) => cell.map((i) => withRevision(i, mark))),
    })),
  }
}

/** A run marked inserted, split where its characters were written by different authors. */
function inserted(run: Run, authorOf: AuthorOf): Run[] {
  if (!run.clients || run.clients.length !== run.text.length)
    return [{ ...run, revision: { type: 'ins', author: PRODUCT_AUTHOR } }]
  const out: Run[] = []
  let start = 0
  for (let i = 1; i <= run.text.length; i++) {
    const author = authorOf(run.clients[start]!)
    if (i < run.text.length && authorOf(run.clients[i]!) === author) continue
    out.push({
      ...run,
      text: run.text.slice(start, i),
      clients: run.clients.slice(start, i),
      revision: { type: 'ins', author },
    })
    start = i
  }
  return out
}

const keyOf = (item: Item): string => `${item.type === 'para' ? item.style : 'table'}\u0000${itemText(item)}`

/** The present items with what changed since `base` marked: paragraphs aligned by text, changed ones by word. */
function markItems(base: readonly Item[], present: readonly Item[], authorOf: AuthorOf): Item[] {
  const parts = diffArrays(base.map(keyOf), present.map(keyOf))
  const out: Item[] = []
  let b = 0
  let p = 0
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!
    const count = part.count ?? part.value.length
    if (!part.added && !part.removed) {
      out.push(...present.slice(p, p + count))
      b += count
      p += count
      continue
    }
    if (part.removed) {
      const next = parts[k + 1]
      const addedCount = next?.added ? (next.count ?? next.value.length) : 0
      const paired = Math.min(count, addedCount)
      for (let i = 0; i < paired; i++) out.push(changedItem(base[b + i]!, present[p + i]!, authorOf))
      for (let i = paired; i < count; i++) out.push(withRevision(base[b + i]!, deleted))
      for (let i = paired; i < addedCount; i++) out.push(...insertedItems([present[p + i]!], authorOf))
      b += count
      p += addedCount
      if (addedCount > 0) k++
      continue
    }
    out.push(...insertedItems(present.slice(p, p + count), authorOf))
    p += count
  }
  return out
}

/** One item that became another: word by word for paragraphs, cell by cell for tables of the same shape. */
function changedItem(before: Item, after: Item, authorOf: AuthorOf): Item {
  if (before.type === 'para' && after.type === 'para')
    return { ...after, runs: markRuns(before.runs, after.runs, authorOf) }
  if (before.type === 'table' && after.type === 'table' && sameShape(before, after)) {
    return {
      ...after,
      rows: after.rows.map((row, r) => ({
        ...row,
        cells: row.cells.map((cell, c) => markItems(before.rows[r]!.cells[c]!, cell, authorOf)),
      })),
    }
  }
  return after.type === 'table'
    ? (insertedItems([after], authorOf)[0] as Item)
    : { ...after, runs: [...withRevisionRuns(before), ...insertedRuns(after.runs, authorOf)] }
}

function withRevisionRuns(item: Item): Run[] {
  const marked = withRevision(item, deleted)
  return marked.type === 'para'
    ? marked.runs
    : [{ text: itemText(item), revision: { type: 'del', author: PRODUCT_AUTHOR } }]
}

const insertedRuns = (runs: Run[], authorOf: AuthorOf): Run[] =>
  runs.flatMap((run) => (run.generated ? [run] : inserted(run, authorOf)))

function sameShape(a: Extract<Item, { type: 'table' }>, b: Extract<Item, { type: 'table' }>): boolean {
  return (
    a.rows.length === b.rows.length && a.rows.every((row, i) => row.cells.length === b.rows[i]!.cells.length)
  )
}

/** The present runs with the words inserted since `before` marked, and the deleted words put back, marked. */
export function markRuns(before: readonly Run[], after: readonly Run[], authorOf: AuthorOf): Run[] {
  const oldText = before.map((r) => r.text).join('')
  const newText = after.map((r) => r.text).join('')
  const out: Run[] = []
  let o = 0
  let n = 0
  for (const part of diffWordsWithSpace(oldText, newText)) {
    const length = part.value.length
    if (part.added) {
      out.push(
        ...sliceRuns(after, n, n + length).flatMap((run) =>
          run.generated ? [run] : inserted(run, authorOf),
        ),
      )
      n += length
    } else if (part.removed) {
      out.push(...sliceRuns(before, o, o + length).flatMap(deleted))
      o += length
    } else {
      out.push(...sliceRuns(after, n, n + length))
      n += length
      o += length
    }
  }
  return out
}

/** The runs covering characters [start, end) of their concatenated text, cut at the ends. */
function sliceRuns(runs: readonly Run[], start: number, end: number): Run[] {
  const out: Run[] = []
  let offset = 0
  for (const run of runs) {
    const runEnd = offset + run.text.length
    const from = Math.max(start, offset)
    const to = Math.min(end, runEnd)
    if (from < to) {
      const piece: Run = { ...run, text: run.text.slice(from - offset, to - offset) }
      if (run.clients) piece.clients = run.clients.slice(from - offset, to - offset)
      out.push(piece)
    }
    offset = runEnd
  }
  return out
}
