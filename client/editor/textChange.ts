/**
 * What changed between two documents when only the text of some text blocks did: found by comparing the documents
 * (unchanged nodes are the same objects, so this costs the depth of the changes, not the document's size), not by
 * reading the transaction's steps, because a remote change arrives as a replacement of whole clauses, and one
 * remote change may carry several people's keystrokes in several clauses (the server merges what arrived together).
 * The decoration plugins use it to move their decorations instead of rebuilding them on every keystroke.
 */
import type { Node as PmNode } from '@tiptap/pm/model'
import { Mapping, StepMap } from '@tiptap/pm/transform'

export interface TextBlockChange {
  /** The text block before and after the change. */
  before: PmNode
  after: PmNode
}

export interface TextChange {
  /** Maps positions of the old document to the new one. */
  map: Mapping
  /** The changed text blocks, in document order. */
  blocks: TextBlockChange[]
}

/**
 * The change, when the two documents have the same structure (the same nodes with the same attributes, in the same
 * places) and differ only inside text blocks; null when anything else changed, or nothing did.
 */
export function textChange(before: PmNode, after: PmNode): TextChange | null {
  const ranges: number[] = []
  const blocks: TextBlockChange[] = []
  if (!compareChildren(before, after, 0, ranges, blocks) || blocks.length === 0) return null
  return { map: new Mapping([new StepMap(ranges)]), blocks }
}

/** Compares the children of two nodes whose content starts at `start` in the old document. */
function compareChildren(
  before: PmNode,
  after: PmNode,
  start: number,
  ranges: number[],
  blocks: TextBlockChange[],
): boolean {
  if (before.childCount !== after.childCount) return false
  let pos = start
  for (let i = 0; i < before.childCount; i++) {
    const old = before.child(i)
    const now = after.child(i)
    if (old !== now) {
      if (!old.sameMarkup(now)) return false
      if (old.isTextblock) {
        if (!old.content.eq(now.content)) {
          ranges.push(...changedRange(old, now, pos + 1))
          blocks.push({ before: old, after: now })
        }
      } else if (old.isLeaf) {
        if (!old.eq(now)) return false
      } else if (!compareChildren(old, now, pos + 1, ranges, blocks)) return false
    }
    pos += old.nodeSize
  }
  return true
}

/** The changed part of a text block's content as a StepMap range: [start, old size, new size]. */
function changedRange(before: PmNode, after: PmNode, contentStart: number): [number, number, number] {
  const start = before.content.findDiffStart(after.content) ?? 0
  const end = before.content.findDiffEnd(after.content) ?? { a: start, b: start }
  let { a: endA, b: endB } = end
  // A repeated character makes the two ends overlap the start: move them past it.
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  return [contentStart + start, endA - start, endB - start]
}
