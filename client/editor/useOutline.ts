import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { buildOutline, type OutlineEntry } from './outline.ts'

/** Delay after the last change before the outline is rebuilt: typing never waits for it. */
const DEBOUNCE_MS = 200

/** The clause outline of the editor's document, rebuilt a moment after changes stop. */
export function useOutline(editor: Editor | null): OutlineEntry[] {
  const [outline, setOutline] = useState<OutlineEntry[]>(() => (editor ? buildOutline(editor.state.doc) : []))
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let lastDoc = editor.state.doc
    setOutline(buildOutline(lastDoc))
    const onTransaction = () => {
      if (editor.state.doc === lastDoc) return
      clearTimeout(timer)
      timer = setTimeout(() => {
        lastDoc = editor.state.doc
        setOutline((previous) => reuseUnchanged(previous, buildOutline(lastDoc)))
      }, DEBOUNCE_MS)
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
    if (
      old &&
      old.id === entry.id &&
      old.number === entry.number &&
      old.title === entry.title &&
      old.level === entry.level &&
      old.pos === entry.pos &&
      old.parent === entry.parent
    ) {
      return old
    }
    same = false
    return entry
  })
  return same ? previous : merged
}
