/**
 * Where pasted headings land in the clause tree. A pasted heading's level is the level its typed number shows
 * ("6.2.1": 3) or, without one, its heading level (Word's Heading 2, <h2>: 2). Pasted into a clause at depth D, a
 * heading deeper than D becomes a sub-clause of that clause (one level down, never skipping levels), and one at
 * depth D or above becomes a clause of that level after the clause's ancestor at that level. Headings after it
 * nest under it by their levels. Pure: levels in, placements out.
 */

export interface HeadingPlacement {
  /** Index of the pasted heading it is a sub-clause of; -1 when it is placed in the existing document. */
  parent: number
  /** The depth it takes in the document (1: a top-level clause). */
  depth: number
}

export function placeHeadings(levels: readonly number[], landingDepth: number): HeadingPlacement[] {
  const placements: HeadingPlacement[] = []
  const open: { index: number; level: number }[] = []
  levels.forEach((level, index) => {
    while (open.length > 0 && open.at(-1)!.level >= level) open.pop()
    const parent = open.at(-1)
    const depth = parent
      ? placements[parent.index]!.depth + 1
      : Math.max(1, Math.min(level, landingDepth + 1, lastTopDepth(placements)))
    placements.push({ parent: parent?.index ?? -1, depth })
    open.push({ index, level })
  })
  return placements
}

/** A heading placed in the document never lands deeper than the one placed before it (it comes after it). */
function lastTopDepth(placements: readonly HeadingPlacement[]): number {
  for (let i = placements.length - 1; i >= 0; i--)
    if (placements[i]!.parent === -1) return placements[i]!.depth
  return Number.POSITIVE_INFINITY
}
