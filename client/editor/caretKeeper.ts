/**
 * Keeps the local caret where it belongs when other people type in the same paragraph.
 *
 * y-tiptap 3.0.9 restores the selection after a remote change with a heuristic meant for structural moves: when
 * the text of the caret's paragraph changed, it treats the Yjs-resolved position as "misresolved" and falls back
 * to the old absolute offset. So every character typed by someone else before the caret leaves the caret behind,
 * and two people typing in one paragraph scramble each other's words (tiptap issues 7213 and 7332 describe the
 * family of symptoms). The caret is anchored to a character; while that character still exists, its Yjs-resolved
 * position is right. This plugin re-resolves it after each remote change and corrects the selection then; when
 * the anchoring content was deleted (a real structural change), y-tiptap's own recovery stands.
 *
 * A click or a Home/End key just before a remote change is not yet in ProseMirror's state (it reads the DOM
 * selection on the browser's next "selectionchange", a task that may come after the remote change); redrawing
 * would then write the older caret back into the DOM and the key's move would be lost. So before a remote document
 * change, pending DOM input is read first and the caret captured from the state that includes it; and a remote
 * caret's move (presence only, no document change, but a redraw all the same) takes the DOM's newer caret into
 * the state it draws.
 */
import { Extension } from '@tiptap/core'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  yCursorPluginKey,
  ySyncPluginKey,
} from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { readPendingSelection } from './pendingSelection.ts'

interface SyncState {
  doc: Y.Doc
  type: Y.XmlFragment
  binding?: { mapping: Map<unknown, unknown> } | null
  isChangeOrigin?: boolean
}

interface Captured {
  anchor: Y.RelativePosition
  head: Y.RelativePosition
}

/** True when the content a relative position is attached to still exists (not deleted). */
export function anchorAlive(doc: Y.Doc, position: Y.RelativePosition): boolean {
  try {
    if (position.item) {
      const item = Y.getItem(doc.store, position.item)
      return item instanceof Y.Item && !item.deleted
    }
    if (position.type) {
      const item = Y.getItem(doc.store, position.type)
      return item instanceof Y.Item && !item.deleted
    }
    return position.tname !== null
  } catch {
    return false
  }
}

/** ProseMirror's DOM observer: what it last read of the DOM selection. Internal, hence the narrow type. */
interface DomObserver {
  flush(): void
  currentSelection: { eq(range: DomRange): boolean }
}
type DomRange = Pick<Selection, 'anchorNode' | 'anchorOffset' | 'focusNode' | 'focusOffset'>
type ViewInternals = EditorView & {
  domObserver: DomObserver
  domSelectionRange(): DomRange
  composing: boolean
}

/**
 * The DOM's caret as a selection of `state`, when the browser moved it and ProseMirror has not read it yet; null
 * otherwise. Only for a state whose document is the one the DOM shows (no document change since).
 */
function unreadDomCaret(view: EditorView, state: EditorState): Transaction | null {
  const internals = view as ViewInternals
  if (!view.hasFocus() || internals.composing) return null
  const range = internals.domSelectionRange()
  if (internals.domObserver.currentSelection.eq(range)) return null
  const { anchorNode, focusNode } = range
  if (!anchorNode || !focusNode || !view.dom.contains(anchorNode) || !view.dom.contains(focusNode))
    return null
  try {
    const anchor = view.posAtDOM(anchorNode, range.anchorOffset)
    const head = view.posAtDOM(focusNode, range.focusOffset)
    if (anchor === state.selection.anchor && head === state.selection.head) return null
    const selection = TextSelection.between(state.doc.resolve(anchor), state.doc.resolve(head))
    return state.tr.setSelection(selection).setMeta('addToHistory', false)
  } catch {
    return null
  }
}

export const CaretKeeper = Extension.create({
  name: 'accordCaretKeeper',
  addProseMirrorPlugins() {
    let captured: Captured | null = null
    let current: EditorView | null = null
    return [
      new Plugin({
        key: new PluginKey('accordCaretKeeper'),
        view: (view) => {
          current = view
          const sync = ySyncPluginKey.getState(view.state) as SyncState | undefined
          const doc = sync?.doc
          if (!doc) return {}
          const before = () => {
            if (captured) return
            readPendingSelection(view)
            const state = ySyncPluginKey.getState(view.state) as SyncState | undefined
            if (!state?.binding) return
            const mapping = state.binding.mapping as never
            const { anchor, head } = view.state.selection
            captured = {
              anchor: absolutePositionToRelativePosition(anchor, state.type, mapping),
              head: absolutePositionToRelativePosition(head, state.type, mapping),
            }
          }
          const after = () => {
            captured = null
          }
          doc.on('beforeAllTransactions', before)
          doc.on('afterAllTransactions', after)
          return {
            destroy: () => {
              current = null
              doc.off('beforeAllTransactions', before)
              doc.off('afterAllTransactions', after)
            },
          }
        },
        appendTransaction: (transactions, oldState, newState) => {
          const caretsOnly =
            transactions.some((tr) => tr.getMeta(yCursorPluginKey)) && newState.doc === oldState.doc
          if (caretsOnly) return current ? unreadDomCaret(current, newState) : null
          const remote = transactions.some((tr) => {
            const meta = tr.getMeta(ySyncPluginKey) as {
              isChangeOrigin?: boolean
              isUndoRedoOperation?: boolean
            }
            return meta?.isChangeOrigin && !meta.isUndoRedoOperation
          })
          const sync = ySyncPluginKey.getState(newState) as SyncState | undefined
          if (!remote || !captured || !sync?.binding || !(newState.selection instanceof TextSelection))
            return null
          if (!anchorAlive(sync.doc, captured.anchor) || !anchorAlive(sync.doc, captured.head)) return null
          const mapping = sync.binding.mapping as never
          const anchor = relativePositionToAbsolutePosition(sync.doc, sync.type, captured.anchor, mapping)
          const head = relativePositionToAbsolutePosition(sync.doc, sync.type, captured.head, mapping)
          if (anchor === null || head === null) return null
          if (anchor === newState.selection.anchor && head === newState.selection.head) return null
          const size = newState.doc.content.size
          if (anchor > size || head > size) return null
          const $anchor = newState.doc.resolve(anchor)
          const $head = newState.doc.resolve(head)
          if (!$anchor.parent.isTextblock || !$head.parent.isTextblock) return null
          return newState.tr
            .setSelection(TextSelection.between($anchor, $head))
            .setMeta('addToHistory', false)
        },
      }),
    ]
  },
})
