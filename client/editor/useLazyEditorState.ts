/**
 * State derived from the editor for controls beside the text (the toolbar's enabled and pressed buttons), computed
 * off the keystroke's path. Tiptap's `useEditorState` runs its selector inside every transaction, so each key
 * paid for the toolbar's `can()` dry runs of all its commands (a fifth of the page's time while typing on a large
 * deliverable, README's Performance section). Here:
 * - a caret move, a mode change or any other transaction that leaves the document as it was is answered at once
 *   (the buttons follow the caret into an agreed clause without delay);
 * - a change of the document (typing, a remote edit) is answered after a pause, or at the latest MAX_WAIT_MS after
 *   the first change, so typing never waits for it;
 * - a redraw of the other people's carets (their presence changed) changes nothing here and is ignored.
 */
import type { Editor } from '@tiptap/core'
import type { Transaction } from '@tiptap/pm/state'
import { yCursorPluginKey } from '@tiptap/y-tiptap'
import { useEffect, useRef, useState } from 'react'
import { debounce } from '../shell/debounce.ts'

/** Quiet time after the last change of the document before the state is computed again. */
const PAUSE_MS = 150
/** During continuous changes it is still computed at least this often. */
const MAX_WAIT_MS = 1000

/** Only a redraw of remote carets: neither the document nor the selection nor anything else of ours changed. */
function onlyCaretsRedrawn(transaction: Transaction): boolean {
  return !transaction.docChanged && !transaction.selectionSet && !!transaction.getMeta(yCursorPluginKey)
}

export function useLazyEditorState<T>(
  editor: Editor | null,
  select: (editor: Editor | null) => T,
  equal: (a: T, b: T) => boolean,
  /** Anything else the selector reads: the state is computed again at once when it changes. */
  inputs: readonly unknown[],
): T {
  const selectRef = useRef(select)
  selectRef.current = select
  const equalRef = useRef(equal)
  equalRef.current = equal
  const [value, setValue] = useState(() => select(editor))

  // The effect runs again when the editor or any of `inputs` (what the selector reads besides the editor) changes.
  useEffect(() => {
    const refresh = () => {
      later.cancel()
      if (editor?.isDestroyed) return
      const next = selectRef.current(editor)
      setValue((previous) => (equalRef.current(previous, next) ? previous : next))
    }
    const later = debounce(refresh, PAUSE_MS, MAX_WAIT_MS)
    refresh()
    if (!editor) return
    const onTransaction = ({ transaction }: { transaction: Transaction }) => {
      if (onlyCaretsRedrawn(transaction)) return
      if (transaction.docChanged) later.schedule()
      else refresh()
    }
    // `setEditable` tells of itself only by an update without a transaction of its own.
    const onUpdate = ({ transaction }: { transaction: Transaction }) => {
      if (!transaction.docChanged) refresh()
    }
    editor.on('transaction', onTransaction).on('update', onUpdate)
    return () => {
      later.cancel()
      editor.off('transaction', onTransaction).off('update', onUpdate)
    }
  }, [editor, ...inputs])
  return value
}
