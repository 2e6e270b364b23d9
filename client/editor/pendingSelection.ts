/**
 * ProseMirror reads a selection the browser moved (Shift+Arrow, a click) when the DOM's `selectionchange` event
 * arrives, a moment after the key. A command that reads `state.selection` in the very next key event would act on
 * the selection before that key: it asks ProseMirror to read the DOM first. `domObserver` is internal, hence the
 * narrow type.
 */
import type { EditorView } from '@tiptap/pm/view'

export function readPendingSelection(view: EditorView): void {
  if (view.hasFocus()) (view as unknown as { domObserver?: { flush(): void } }).domObserver?.flush()
}
