import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { debounce } from '../shell/debounce.ts'
import { buildOutline, type OutlineEntry, type OutlineRow, sameOutlineRow } from './outline.ts'

/** Quiet time after the last change before the outline is rebuilt: typing never waits for it. */
const DEBOUNCE_MS = 200
/** During continuous changes (typing, a stream of remote edits) it is still rebuilt at least this often. */
const MAX_WAIT_MS = 1000

/**
 * The clause outline of the editor's document, rebuilt shortly after changes (debounced, with a maximum wait). The
 * same array while no row changed: typing inside a clause moves the positions of the clauses after it, and a new
 * outline for that re-rendered the editor screen about once a second while typing (each React commit also walks
 * the editor's text to save the selection).
 */
export function useOutline(editor: Editor | null): OutlineRow[] {
  const [outline, setOutline] = useState<OutlineRow[]>(() =>
    editor ? rows(buildOutline(editor.state.doc)) : [],
  )
  useEffect(() => {
    if (!editor) return
    let lastDoc = editor.state.doc
    let empty = lastDoc.childCount === 0
    const rebuild = () => {
      later.cancel()
      lastDoc = editor.state.doc
      empty = lastDoc.childCount === 0
      setOutline((previous) => reuseUnchanged(previous, rows(buildOutline(lastDoc))))
    }
    const later = debounce(rebuild, DEBOUNCE_MS, MAX_WAIT_MS)
    rebuild()
    const onTransaction = () => {
      if (editor.state.doc === lastDoc) return
      // The first content (the initial sync) shows at once; later changes wait for a pause or the maximum wait.
      if (empty) rebuild()
      else later.schedule()
    }
    editor.on('transaction', onTransaction)
    return () => {
      later.cancel()
      editor.off('transaction', onTransaction)
    }
  }, [editor])
  return outline
}

function rows(entries: readonly OutlineEntry[]): OutlineRow[] {
  return entries.map(({ pos: _pos, ...row }) => row)
}

/** Keeps the previous row objects where nothing changed, so memoized outline rows do not re-render. */
function reuseUnchanged(previous: OutlineRow[], next: OutlineRow[]): OutlineRow[] {
  let same = previous.length === next.length
  const merged = next.map((entry, i) => {
    const old = previous[i]
    if (
      old &&
      sameOutlineRow(old, entry) &&
      old.kind === entry.kind &&
      old.parent === entry.parent &&
      old.path.join('.') === entry.path.join('.')
    )
      return old
    same = false
    return entry
  })
  return same ? previous : merged
}
