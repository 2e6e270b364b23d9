/**
 * Why a toolbar button cannot act where the caret is, in words the button carries as its description (and the
 * editor says when the button is pressed anyway). Null when nothing forbids it: a button may still be unable to
 * act for a plain reason (the first clause cannot move up), which needs no explanation.
 */
import type { EditorState } from '@tiptap/pm/state'
import { isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { consensusOf } from './consensusState.ts'
import { lockReason } from './lockGuard.ts'
import { buildOutline, clauseAt } from './outline.ts'

/** Writing, formatting or inserting at the caret. */
export const writingRefusal = lockReason

/** Removing the caret's clause: required clauses (2 to 5) never go; agreed text is never removed. */
export function removalRefusal(state: EditorState): string | null {
  const here = clauseAt(state.selection.$from)
  if (!here) return null
  const { locked, required } = consensusOf(state)
  if (required.has(String(here.node.attrs.id))) {
    const entry = buildOutline(state.doc).find((e) => e.pos === here.pos)
    return `Clause ${entry?.number ?? ''} (${entry?.title ?? ''}) is required and cannot be removed.`
  }
  if (locked.size === 0) return null
  let holdsAgreed = locked.has(String(here.node.attrs.id))
  here.node.descendants((child) => {
    if (isClauseNode(child) && locked.has(String(child.attrs.id))) holdsAgreed = true
    return !holdsAgreed && isClauseNode(child)
  })
  return holdsAgreed ? 'This clause holds agreed text and cannot be removed.' : lockReason(state)
}
