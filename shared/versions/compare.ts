/**
 * Compares two states of a deliverable clause by clause (issue 22, item 2). Clauses are matched by their `id`
 * attribute, never by number or title, so a clause that moved or was renamed is recognised as the same clause;
 * within a matched clause, title and own text are compared word by word with the `diff` library (as the consensus
 * redline does). Pure: both sides and the exports call it. Each clause's changes are a list of equal, inserted
 * and deleted parts, in order, so that a Word export can write them as tracked changes.
 */
import { diffArrays, diffWords } from 'diff'
import type { VersionClause } from './clauseRecord.ts'

export interface DiffPart {
  kind: 'equal' | 'insert' | 'delete'
  text: string
}

export type ClauseChange = 'unchanged' | 'changed' | 'added' | 'removed'

/** Where a clause stands on one side of the comparison. */
export interface ClausePlace {
  number: string
  title: string
  level: number
}

export interface ClauseComparison {
  id: string
  change: ClauseChange
  /** Under another parent, or in another order among the siblings it kept. */
  moved: boolean
  /** Same clause, another title. */
  renamed: boolean
  /** Null for an added clause. */
  from: ClausePlace | null
  /** Null for a removed clause. */
  to: ClausePlace | null
  title: DiffPart[]
  text: DiffPart[]
  wordsInserted: number
  wordsDeleted: number
}

export interface ComparisonSummary {
  clausesChanged: number
  clausesAdded: number
  clausesRemoved: number
  clausesMoved: number
  wordsInserted: number
  wordsDeleted: number
}

export interface Comparison {
  /** In the order of the newer side; a removed clause follows the clause that preceded it on the older side. */
  clauses: ClauseComparison[]
  summary: ComparisonSummary
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu

/** Words as a reader counts them: runs of letters and digits (punctuation and spaces are not words). */
export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0
}

export function wordDiff(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ kind: 'equal', text: before }] : []
  return diffWords(before, after).map((change) => ({
    kind: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
    text: change.value,
  }))
}

const whole = (kind: DiffPart['kind'], text: string): DiffPart[] => (text ? [{ kind, text }] : [])

function wordsOf(parts: readonly DiffPart[], kind: DiffPart['kind']): number {
  return parts.filter((part) => part.kind === kind).reduce((sum, part) => sum + countWords(part.text), 0)
}

const placeOf = (clause: VersionClause): ClausePlace => ({
  number: clause.number,
  title: clause.title,
  level: clause.level,
})

/** The id of each clause's parent, from the pre-order list with levels ('' for a top-level clause). */
function parentIds(clauses: readonly VersionClause[]): Map<string, string> {
  const parents = new Map<string, string>()
  const open: VersionClause[] = []
  for (const clause of clauses) {
    while (open.length > 0 && open[open.length - 1]!.level >= clause.level) open.pop()
    parents.set(clause.id, open[open.length - 1]?.id ?? '')
    open.push(clause)
  }
  return parents
}

/** The first clause of each id: the server repairs duplicate ids, and a stored version may predate a repair. */
function byId(clauses: readonly VersionClause[]): Map<string, VersionClause> {
  const map = new Map<string, VersionClause>()
  for (const clause of clauses) if (!map.has(clause.id)) map.set(clause.id, clause)
  return map
}

/**
 * Clauses that moved: those whose parent changed, and, among siblings kept under the same parent, those outside
 * the longest common order (a swap of two moves one of them, not both).
 */
function movedClauses(
  from: readonly VersionClause[],
  to: readonly VersionClause[],
  fromParents: Map<string, string>,
  toParents: Map<string, string>,
): Set<string> {
  const moved = new Set<string>()
  const stayed = (id: string) => toParents.has(id) && fromParents.get(id) === toParents.get(id)
  for (const [id, parent] of fromParents) if (toParents.has(id) && toParents.get(id) !== parent) moved.add(id)
  const siblings = (clauses: readonly VersionClause[], parents: Map<string, string>) => {
    const groups = new Map<string, string[]>()
    const seen = new Set<string>()
    for (const { id } of clauses) {
      if (!stayed(id) || seen.has(id)) continue
      seen.add(id)
      const parent = parents.get(id)!
      const group = groups.get(parent)
      if (group) group.push(id)
      else groups.set(parent, [id])
    }
    return groups
  }
  const before = siblings(from, fromParents)
  const after = siblings(to, toParents)
  for (const [parent, order] of before) {
    for (const change of diffArrays(order, after.get(parent) ?? []))
      if (change.added || change.removed) for (const id of change.value) moved.add(id)
  }
  return moved
}

function compareClause(
  id: string,
  before: VersionClause | undefined,
  after: VersionClause | undefined,
  moved: boolean,
): ClauseComparison {
  const title =
    before && after
      ? wordDiff(before.title, after.title)
      : whole(after ? 'insert' : 'delete', (after ?? before)!.title)
  const text =
    before && after
      ? wordDiff(before.text, after.text)
      : whole(after ? 'insert' : 'delete', (after ?? before)!.text)
  const change: ClauseChange = !before
    ? 'added'
    : !after
      ? 'removed'
      : before.hash !== after.hash || before.title !== after.title || before.text !== after.text
        ? 'changed'
        : 'unchanged'
  return {
    id,
    change,
    moved,
    renamed: !!before && !!after && before.title !== after.title,
    from: before ? placeOf(before) : null,
    to: after ? placeOf(after) : null,
    title,
    text,
    wordsInserted: wordsOf(title, 'insert') + wordsOf(text, 'insert'),
    wordsDeleted: wordsOf(title, 'delete') + wordsOf(text, 'delete'),
  }
}

/** Compares `from` (the older state) with `to`; both are clause lists in document order. */
export function compareClauses(from: readonly VersionClause[], to: readonly VersionClause[]): Comparison {
  const fromById = byId(from)
  const toById = byId(to)
  const fromParents = parentIds(from)
  const toParents = parentIds(to)
  const moved = movedClauses(from, to, fromParents, toParents)

  // Each removed clause is shown after the nearest clause before it (on the older side) that is still there.
  const removedAfter = new Map<string, string[]>()
  let anchor = ''
  for (const id of fromById.keys()) {
    if (toById.has(id)) anchor = id
    else {
      const removed = removedAfter.get(anchor)
      if (removed) removed.push(id)
      else removedAfter.set(anchor, [id])
    }
  }
  const order = [...(removedAfter.get('') ?? [])]
  for (const id of toById.keys()) order.push(id, ...(removedAfter.get(id) ?? []))

  const clauses = order.map((id) => compareClause(id, fromById.get(id), toById.get(id), moved.has(id)))
  const count = (test: (c: ClauseComparison) => boolean) => clauses.filter(test).length
  return {
    clauses,
    summary: {
      clausesChanged: count((c) => c.change === 'changed'),
      clausesAdded: count((c) => c.change === 'added'),
      clausesRemoved: count((c) => c.change === 'removed'),
      clausesMoved: count((c) => c.moved),
      wordsInserted: clauses.reduce((sum, c) => sum + c.wordsInserted, 0),
      wordsDeleted: clauses.reduce((sum, c) => sum + c.wordsDeleted, 0),
    },
  }
}
