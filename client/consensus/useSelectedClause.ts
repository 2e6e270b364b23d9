/**
 * Which clause the consensus panel is about: the one the cursor is in, or the last one clicked in the text or
 * chosen in the outline (read-only users have no cursor, so a click counts too).
 */
import type { Editor } from '@tiptap/core'
import { useCallback, useEffect, useState } from 'react'
import { clauseAt } from '../editor/outline.ts'

export function clauseIdAtCursor(editor: Editor): string | null {
  const clause = clauseAt(editor.state.selection.$from)
  const id = clause?.node.attrs.id
  return typeof id === 'string' && id ? id : null
}

export function useSelectedClause(editor: Editor | null): [string | null, (id: string | null) => void] {
  const [selected, setSelected] = useState<string | null>(null)
  const select = useCallback((id: string | null) => setSelected(id), [])

  useEffect(() => {
    if (!editor) return
    const fromCursor = () => {
      if (!editor.isDestroyed && editor.isFocused) {
        const id = clauseIdAtCursor(editor)
        if (id) setSelected(id)
      }
    }
    // On the document, not the editor's element: that one may not be mounted yet when the editor arrives.
    const fromClick = (event: MouseEvent) => {
      const target = event.target instanceof Element ? event.target : null
      const id = target?.closest('.itu-document section[data-clause-id]')?.getAttribute('data-clause-id')
      if (id) setSelected(id)
    }
    editor.on('selectionUpdate', fromCursor)
    editor.on('focus', fromCursor)
    document.addEventListener('click', fromClick)
    return () => {
      editor.off('selectionUpdate', fromCursor)
      editor.off('focus', fromCursor)
      document.removeEventListener('click', fromClick)
    }
  }, [editor])

  return [selected, select]
}
