/**
 * Between editor positions and annotation anchors (SYNC.md §7): a ProseMirror position becomes a Yjs (type, index)
 * through y-tiptap's mapping, and is encoded as a relative position with the ends' associations of
 * shared/clauses/anchors.ts; an anchor comes back to editor positions the same way, so it follows every edit made
 * since, here or elsewhere.
 */
import type { Editor } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { anchorProblemMessage, fromBase64, resolveAnchor, toBase64 } from '../../shared/clauses/anchors.ts'
import { findClauseElement } from '../../shared/clauses/clauseText.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import { clauseAt } from '../editor/outline.ts'

interface Binding {
  doc: Y.Doc
  type: Y.XmlFragment
  mapping: Map<Y.AbstractType<unknown>, unknown>
}

function bindingOf(state: EditorState): Binding | null {
  const binding = ySyncPluginKey.getState(state)?.binding as Binding | undefined
  return binding?.doc && binding.type ? binding : null
}

function yPositionAt(binding: Binding, pos: number): Y.AbsolutePosition | null {
  try {
    const relative = absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)
    return Y.createAbsolutePositionFromRelativePosition(relative, binding.doc)
  } catch {
    return null
  }
}

export interface PlacedAnchor {
  sectionId: string
  anchor: Anchor
  /** The text of the range as the server will read it. */
  text: string
  /** Both ends in one text: a suggestion can replace this range. */
  inOneText: boolean
}

/** An anchor over `[from, to]` of the editor's document, or why none can be made there. */
export function anchorFromRange(editor: Editor, from: number, to: number): PlacedAnchor | string {
  const binding = bindingOf(editor.state)
  const clause = clauseAt(editor.state.doc.resolve(from))
  const sectionId = clause?.node.attrs.id
  if (!binding || typeof sectionId !== 'string' || !sectionId)
    return 'Place the cursor in a clause’s text first.'
  const endClause = clauseAt(editor.state.doc.resolve(to))
  if (endClause?.node.attrs.id !== sectionId) return 'Choose text within one clause.'
  const start = yPositionAt(binding, from)
  const end = yPositionAt(binding, to)
  if (!start || !end) return 'This place in the text cannot be anchored yet; try again in a moment.'
  const encode = (at: Y.AbsolutePosition, assoc: number) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(at.type, at.index, assoc)))
  const collapsed = from === to
  // The start sticks to the character after it and the end to the one before (shared/clauses/anchors.ts).
  const anchor = { start: encode(start, 0), end: encode(end, collapsed ? 0 : -1) }
  const element = findClauseElement(binding.type, sectionId)
  if (!element) return 'This clause is not in the text any more.'
  const resolved = resolveAnchor(binding.doc, element, anchor)
  if (typeof resolved === 'string') return anchorProblemMessage(resolved)
  const inOneText = start.type instanceof Y.XmlText && start.type === end.type
  return { sectionId, anchor, text: resolved.text, inOneText }
}

/** Where an anchor stands in the editor's document now, or null when it cannot be placed (its text collected). */
export function rangeOfAnchor(state: EditorState, anchor: Anchor): { from: number; to: number } | null {
  const binding = bindingOf(state)
  if (!binding) return null
  const place = (encoded: string) => {
    try {
      const relative = Y.decodeRelativePosition(fromBase64(encoded))
      return relativePositionToAbsolutePosition(binding.doc, binding.type, relative, binding.mapping as never)
    } catch {
      return null
    }
  }
  const from = place(anchor.start)
  const to = place(anchor.end)
  if (from === null || to === null) return null
  const size = state.doc.content.size
  if (from > size || to > size) return null
  return { from: Math.min(from, to), to: Math.max(from, to) }
}

/**
 * Whether an anchored text is gone from the editor's replica, read as the server reads it (its `removed`): the
 * server tells only when it presents an annotation, and nobody presents one when its text is merely deleted.
 */
export function anchorRemoved(
  state: EditorState,
  sectionId: string,
  anchor: Anchor | null,
  made: string,
): boolean {
  const binding = bindingOf(state)
  if (!anchor || !binding) return false
  const element = findClauseElement(binding.type, sectionId)
  if (!element) return true
  const resolved = resolveAnchor(binding.doc, element, anchor)
  if (typeof resolved === 'string') return true
  return made.length > 0 && resolved.text.length === 0
}
