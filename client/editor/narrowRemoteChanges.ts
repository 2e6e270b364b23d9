/**
 * Keeps a remote change as small in the editor as it is in the shared document. y-tiptap 3.0.9 answers every remote
 * change by rebuilding the whole ProseMirror document from the Yjs one (it clears its Y→PM node cache first) and
 * replacing the document from 0 to its end. On a 120,000-word deliverable that made each keystroke of another
 * person cost tens of milliseconds here: every node new, so the view compared every node and decoration again and
 * every plugin saw the whole text replaced (profile in the README's Performance section).
 *
 * Two narrowings, both inside the binding's own `_typeChanged`:
 * - when a Yjs transaction changed only text (Y.XmlText) and no element's children or attributes, the node cache
 *   is kept: the binding already drops the changed texts and all their ancestors from it, so every other node is
 *   reused as it is, and positions computed through the cache stay right. Structural changes still clear it, as
 *   y-tiptap intends (positions after moved blocks).
 * - the replacement covers only the top-level nodes that are not the very same objects as before, as y-tiptap's
 *   later releases do; when that cannot reproduce the new document exactly, the whole document is replaced.
 */
import type { Fragment } from '@tiptap/pm/model'
import { Slice } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'
import { ReplaceStep, replaceStep } from '@tiptap/pm/transform'
import { ProsemirrorBinding } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

interface BindingInternals {
  mapping: Map<unknown, unknown>
  prosemirrorView: { state: { tr: Transaction } } | null
  _typeChanged(events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction): void
}

/** True when the transaction changed the content of texts only. */
export function onlyTextChanged(transaction: Y.Transaction): boolean {
  for (const type of transaction.changed.keys()) if (!(type instanceof Y.XmlText)) return false
  return true
}

/** Replaces the document's content by `content` with one step over the top-level nodes that differ. */
export function replaceChangedChildren(tr: Transaction, content: Fragment): Transaction {
  const old = tr.doc.content
  let start = 0
  let from = 0
  while (start < old.childCount && start < content.childCount && old.child(start) === content.child(start)) {
    from += old.child(start).nodeSize
    start++
  }
  let oldEnd = old.childCount
  let newEnd = content.childCount
  let suffix = 0
  while (oldEnd > start && newEnd > start && old.child(oldEnd - 1) === content.child(newEnd - 1)) {
    suffix += old.child(oldEnd - 1).nodeSize
    oldEnd--
    newEnd--
  }
  if (start === oldEnd && start === newEnd) return tr
  const step = replaceStep(
    tr.doc,
    from,
    old.size - suffix,
    new Slice(content.cut(from, content.size - suffix), 0, 0),
  )
  if (step?.apply(tr.doc).doc?.content.eq(content)) return tr.step(step)
  // Not `tr.replace`: while the binding runs, that is this very function.
  return tr.step(new ReplaceStep(0, old.size, new Slice(content, 0, 0)))
}

let installed = false

export function narrowRemoteChanges(): void {
  if (installed) return
  installed = true
  const prototype = ProsemirrorBinding.prototype as unknown as BindingInternals
  const typeChanged = prototype._typeChanged
  prototype._typeChanged = function (this: BindingInternals, events, transaction) {
    const view = this.prosemirrorView
    if (!view) return typeChanged.call(this, events, transaction)
    const keepCache = onlyTextChanged(transaction)
    if (keepCache)
      Object.defineProperty(this.mapping, 'clear', { value: () => undefined, configurable: true })
    // The binding builds its transaction from `_tr` and replaces the whole document with it.
    Object.defineProperty(this, '_tr', {
      configurable: true,
      get: () => {
        const tr = view.state.tr.setMeta('addToHistory', false)
        const replace = tr.replace.bind(tr)
        tr.replace = (from, to, slice) =>
          from === 0 && to === tr.doc.content.size && slice && slice.openStart === 0 && slice.openEnd === 0
            ? replaceChangedChildren(tr, slice.content)
            : replace(from, to, slice)
        return tr
      },
    })
    try {
      typeChanged.call(this, events, transaction)
    } finally {
      delete (this as { _tr?: unknown })._tr
      if (keepCache) delete (this.mapping as { clear?: unknown }).clear
    }
  }
}
