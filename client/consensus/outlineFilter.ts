/**
 * Filters for the outline: by status, and "open objections only". A matching clause keeps its ancestors on show
 * (so a sub-clause never appears without the clause it belongs to); the parent links are re-indexed for the
 * filtered list, which keeps the outline's tree keyboard working.
 */
import type { SectionStatus } from '../../shared/domain/types.ts'
import type { OutlineRow } from '../editor/outline.ts'
import { type ConsensusMap, openObjections } from './clauseConsensus.ts'

export interface OutlineFilter {
  status: SectionStatus | 'all'
  objectionsOnly: boolean
}

export const NO_FILTER: OutlineFilter = { status: 'all', objectionsOnly: false }

export const isFiltering = (filter: OutlineFilter) => filter.status !== 'all' || filter.objectionsOnly

export function matchesFilter(id: string, consensus: ConsensusMap, filter: OutlineFilter): boolean {
  const clause = consensus[id]
  const status = clause?.status ?? 'draft'
  if (filter.status !== 'all' && status !== filter.status) return false
  if (filter.objectionsOnly && !(clause && openObjections(clause).length > 0)) return false
  return true
}

export interface FilteredOutline {
  entries: OutlineRow[]
  /** How many clauses match (ancestors shown for context are not counted). */
  matching: number
}

export function filterOutline(
  outline: readonly OutlineRow[],
  consensus: ConsensusMap,
  filter: OutlineFilter,
) {
  if (!isFiltering(filter)) return { entries: outline as OutlineRow[], matching: outline.length }
  const keep = new Array<boolean>(outline.length).fill(false)
  let matching = 0
  outline.forEach((entry, index) => {
    if (!matchesFilter(entry.id, consensus, filter)) return
    matching++
    for (let i = index; i >= 0 && !keep[i]; i = outline[i]!.parent) keep[i] = true
  })
  const newIndex = new Map<number, number>()
  const entries: OutlineRow[] = []
  outline.forEach((entry, index) => {
    if (!keep[index]) return
    newIndex.set(index, entries.length)
    entries.push({ ...entry, parent: entry.parent >= 0 ? (newIndex.get(entry.parent) ?? -1) : -1 })
  })
  return { entries, matching } satisfies FilteredOutline
}
