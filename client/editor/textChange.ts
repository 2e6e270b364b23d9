/**
 * What changed between two documents when only the text of one text block did: found by comparing the documents
 * (unchanged nodes are the same objects, so this costs the depth of the change, not the document's size), not by
 * reading the transaction's steps, because a remote change arrives as a replacement of whole clauses.
 * The decoration plugins use it to move their decorations instead of rebuilding them on every keystroke.
 */
import type { Node as PmNode } from '@tiptap/pm/model'
import { Mapping, StepMap } from '@tiptap/pm/transform'

export interface TextChange {
  /** Maps positions of the old document to the new one. */
  map: Mapping
  /** The text block before and after the change. */
  before: PmNode
  after: PmNode
}

/** The change, when it lies inside one text block (the same in both documents); null when it reaches further. */
export function textChange(before: PmNode, after: PmNode): TextChange | null {
  const start = before.content.findDiffStart(after.content)
  if (start === null) return null
  const end = before.content.findDiffEnd(after.content)
  if (!end) return null
  let { a: endA, b: endB } = end
  // A repeated character makes the two ends overlap the start: move them past it.
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  const $before = before.resolve(start)
  const $after = after.resolve(start)
  if (!$before.parent.isTextblock || !$after.parent.isTextblock) return null
  if ($before.depth !== $after.depth || $before.start() !== $after.start()) return null
  if (!$before.sameParent(before.resolve(endA)) || !$after.sameParent(after.resolve(endB))) return null
  return {
    map: new Mapping([new StepMap([start, endA - start, endB - start])]),
    before: $before.parent,
    after: $after.parent,
  }
}
