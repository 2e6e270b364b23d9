import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { buildOutline, type OutlineEntry, sameOutlineRow } from './outline.ts'

/** Quiet time after the last change before the outline is rebuilt: typing never waits for it. */
const DEBOUNCE_MS = 200
/** During continuous changes (typing, a stream of remote edits) it is still rebuilt at least this often. */
const MAX_WAIT_MS = 1000

/** The clause outline of the editor's document, rebuilt shortly after changes (debounced, with a maximum wait). */
export function useOutline(editor: Editor | null): OutlineEntry[] {
  const [outline, setOutline] = useState<OutlineEntry[]>(() => (editor ? buildOutline(editor.state.doc) : []))
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let firstPending = 0
    let lastDoc = editor.state.doc
    let empty = lastDoc.childCount === 0
    const rebuild = () => {
      clearTimeout(timer)
      timer = undefined
      firstPending = 0
      lastDoc = editor.state.doc
      empty = lastDoc.childCount === 0
      setOutline((previous) => reuseUnchanged(previous, buildOutline(lastDoc)))
    }
    rebuild()
    const onTransaction = () => {
      if (editor.state.doc === lastDoc) return
      const now = Date.now()
      // The first content (the initial sync) shows at once; later changes wait for a pause or the maximum wait.
      if (empty || (firstPending && now - firstPending >= MAX_WAIT_MS)) return rebuild()
      if (!firstPending) firstPending = now
      clearTimeout(timer)
      timer = setTimeout(rebuild, DEBOUNCE_MS)
    }
    editor.on('transaction', onTransaction)
    return () => {
      clearTimeout(timer)
      editor.off('transaction', onTransaction)
    }
  }, [editor])
  return outline
}

/** Keeps the previous entry objects where nothing changed, so memoized outline rows do not re-render. */
function reuseUnchanged(previous: OutlineEntry[], next: OutlineEntry[]): OutlineEntry[] {
  let same = previous.length === next.length
  const merged = next.map((entry, i) => {
    const old = previous[i]
    if (old && sameOutlineRow(old, entry) && old.pos === entry.pos && old.parent === entry.parent) return old
    same = false
    return entry
  })
  return same ? previous : merged
}
