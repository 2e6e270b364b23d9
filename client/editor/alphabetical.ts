/**
 * Alphabetical order of definitions and abbreviations inside a clause (DOMAIN.md). Yjs has no move, so nothing
 * is ever sorted automatically: out-of-order entries get a warning, and an explicit Sort moves as few entries as
 * possible (those outside the longest run already in order), so concurrent typing elsewhere survives.
 */

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })

/** The comparable form of a term: leading punctuation and spaces do not count. */
export function sortKey(term: string): string {
  return term.trim().replace(/^[^\p{L}\p{N}]+/u, '')
}

export interface SortPlan {
  /** The entries' indices in their target order (stable; blank terms last). */
  order: number[]
  /** Entries that stay where they are; all others move. */
  keep: Set<number>
}

export function sortPlan(terms: readonly string[]): SortPlan {
  const indices = terms.map((_, i) => i)
  const isBlank = (i: number) => sortKey(terms[i]!) === ''
  const order = indices
    .filter((i) => !isBlank(i))
    .sort((a, b) => collator.compare(sortKey(terms[a]!), sortKey(terms[b]!)) || a - b)
  order.push(...indices.filter(isBlank))
  const rank = new Map(order.map((index, position) => [index, position]))
  const filled = indices.filter((i) => !isBlank(i))
  const run = longestIncreasing(filled.map((i) => rank.get(i)!))
  const keep = new Set([...run].map((position) => filled[position]!))
  // Blank entries (just inserted, not typed yet) stay put when nothing filled follows them.
  const lastFilled = filled[filled.length - 1] ?? -1
  for (const i of indices) if (isBlank(i) && i > lastFilled) keep.add(i)
  return { order, keep }
}

/** Entries a reader would see out of place: those a Sort would move. Blank terms are never flagged. */
export function outOfOrder(terms: readonly string[]): number[] {
  const { keep } = sortPlan(terms)
  return terms.map((_, i) => i).filter((i) => !keep.has(i) && sortKey(terms[i]!) !== '')
}

/** Indices of one longest strictly increasing subsequence of `values` (patience sorting, O(n log n)). */
export function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = []
  const previous: number[] = new Array(values.length).fill(-1)
  values.forEach((value, index) => {
    let low = 0
    let high = tails.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (values[tails[middle]!]! < value) low = middle + 1
      else high = middle
    }
    if (low > 0) previous[index] = tails[low - 1]!
    tails[low] = index
  })
  const run = new Set<number>()
  for (let cursor = tails[tails.length - 1] ?? -1; cursor !== -1; cursor = previous[cursor]!) run.add(cursor)
  return run
}
