/**
 * Other people's changes never scroll the local viewport. y-tiptap answers every change that reaches the editor
 * from the Yjs document by asking ProseMirror to scroll the selection into view whenever the local caret was on
 * screen: it first measures the DOM selection (`getClientRects`, a forced layout of the whole text) and then
 * ProseMirror measures the caret again (`coordsAtPos`) and scrolls when the caret's line is not wholly visible. On
 * the 120,000-word deliverable that was a fifth of the page's time with two others typing (README, Performance),
 * and a reader whose caret line sat at the edge of the window saw the page jump at each of their keystrokes.
 *
 * A change that came from elsewhere (the server, another tab, the offline copy: a Yjs transaction that is not
 * local) is drawn where the reader is: the caret is kept by the binding and CaretKeeper, and the browser's scroll
 * anchoring holds the visible text in place when text above it grows. Changes this user made through Yjs (undo,
 * redo, moving or sorting clauses) are local transactions and still bring the caret into view, as ProseMirror's
 * own commands do.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { type ProsemirrorBinding, ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

/** Makes the binding treat the caret as off screen (no measuring, no scrolling) while a remote change is drawn. */
export function ignoreCaretDuringRemoteChanges(binding: ProsemirrorBinding): () => void {
  let remote = false
  // Yjs calls the binding's observer between these two events, with the transaction that made the change.
  const beforeObservers = (transaction: Y.Transaction) => {
    remote = !transaction.local
  }
  const afterTransaction = () => {
    remote = false
  }
  const inView = binding._isLocalCursorInView
  binding._isLocalCursorInView = function (this: ProsemirrorBinding) {
    return remote ? false : inView.call(this)
  }
  binding.doc.on('beforeObserverCalls', beforeObservers)
  binding.doc.on('afterTransaction', afterTransaction)
  return () => {
    binding.doc.off('beforeObserverCalls', beforeObservers)
    binding.doc.off('afterTransaction', afterTransaction)
    binding._isLocalCursorInView = inView
  }
}

export const RemoteChangeViewport = Extension.create({
  name: 'accordRemoteChangeViewport',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('accordRemoteChangeViewport'),
        view: (view) => {
          const binding = ySyncPluginKey.getState(view.state)?.binding as ProsemirrorBinding | undefined
          if (!binding) return {}
          return { destroy: ignoreCaretDuringRemoteChanges(binding) }
        },
      }),
    ]
  },
})
