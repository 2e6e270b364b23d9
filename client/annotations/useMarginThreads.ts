/**
 * The threads the margin draws: filtered, in the order of the text (by clause, then by where the anchor stands
 * now), at most `limit` of them (and the thread chosen elsewhere), with where each stands and whether its text was
 * removed. Anchors are resolved for the drawn threads only, and again once the document changed (`version`): with
 * thousands of comments, drawing and measuring them all would cost more than the text itself.
 */
import type { EditorState } from '@tiptap/pm/state'
import { useMemo, useRef } from 'react'
import type { PresentedComment } from '../../shared/api/annotations.ts'
import { clausePositions, type OutlineRow } from '../editor/outline.ts'
import { anchorRemoved, rangeOfAnchor } from './editorAnchors.ts'
import { filterThreads, type Thread, type ThreadFilter, threadsOf } from './threads.ts'

export interface MarginThreads {
  threads: Thread[]
  /** Threads that match the filter but are not drawn (beyond the limit). */
  hidden: number
  positions: ReadonlyMap<string, number>
  removed: ReadonlySet<string>
}

export function useMarginThreads(input: {
  comments: readonly PresentedComment[]
  filter: ThreadFilter
  userId: string
  selectedClauseId: string | null
  activeThreadId: string | null
  outline: readonly OutlineRow[]
  editorState: EditorState | null
  version: number
  limit: number
}): MarginThreads {
  const { comments, filter, userId, selectedClauseId, activeThreadId, outline, editorState, version, limit } =
    input
  // In the order of the clauses, then as made: cheap for every thread, and the same order as the text's but within
  // a clause.
  // Only the outline's order of clauses matters here (a new outline comes when a row changes: numbers, titles).
  const clauseOrder = outline.map((entry) => entry.id).join('\n')
  const ordered = useMemo(() => {
    const index = new Map(clauseOrder.split('\n').map((id, i) => [id, i]))
    const at = (thread: Thread) => index.get(thread.first.sectionId) ?? Number.MAX_SAFE_INTEGER
    return filterThreads(threadsOf(comments), filter, { userId, clauseId: selectedClauseId }).sort(
      (a, b) => at(a) - at(b) || a.first.createdAt.localeCompare(b.first.createdAt),
    )
  }, [comments, filter, userId, selectedClauseId, clauseOrder])

  // Read at the time of `version`: the editor's state changes with every keystroke.
  const stateNow = useRef(editorState)
  stateNow.current = editorState
  // biome-ignore lint/correctness/useExhaustiveDependencies: version says the document changed
  return useMemo(() => {
    const editorState = stateNow.current
    const drawn = ordered.slice(0, limit)
    const active = activeThreadId ? ordered.find((t) => t.first.id === activeThreadId) : undefined
    if (active && !drawn.includes(active)) drawn.push(active)
    const positions = new Map<string, number>()
    const removed = new Set<string>()
    const clausePos = editorState ? clausePositions(editorState.doc) : new Map<string, number>()
    for (const { first } of drawn) {
      if (editorState && anchorRemoved(editorState, first.sectionId, first.anchor, first.quote))
        removed.add(first.id)
      const range = editorState && first.anchor ? rangeOfAnchor(editorState, first.anchor) : null
      const pos = range?.from ?? clausePos.get(first.sectionId)
      if (pos !== undefined) positions.set(first.id, pos)
    }
    const at = (thread: Thread) => positions.get(thread.first.id) ?? Number.MAX_SAFE_INTEGER
    drawn.sort((a, b) => at(a) - at(b) || a.first.createdAt.localeCompare(b.first.createdAt))
    return { threads: drawn, hidden: ordered.length - Math.min(ordered.length, limit), positions, removed }
  }, [ordered, limit, activeThreadId, version, editorState === null])
}
