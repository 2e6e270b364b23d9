/**
 * Paste from Word, LibreOffice and web pages (paste/): lists, NOTEs and headings become the schema's lists, NOTE
 * blocks and clauses; Word's wrapping (conditional comments, Office namespaces, styles) never turns into text.
 * A paste inside an agreed clause is left to the default paste, which the lock guard refuses as any edit there.
 */
import { Extension } from '@tiptap/core'
import type { Slice } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { consensusOf } from './consensusState.ts'
import { normalizePastedHtml, readPastedText } from './paste/clipboardHtml.ts'
import { clauseIdsAt, keepFirstBlock, structuredPaste } from './paste/structuredPaste.ts'

export { cleanPastedHtml } from './paste/clipboardHtml.ts'

/**
 * Handles a paste from another program: with headings, as clauses; starting with a NOTE, a list or a table, as
 * blocks of their own (ProseMirror would pour the first block's text into the paragraph at the caret). False
 * leaves the paste to ProseMirror: plain text, Accord's own copy, a paste into an agreed clause.
 */
function pasteFromOutside(view: EditorView, event: ClipboardEvent, slice: Slice): boolean {
  const html = event.clipboardData?.getData('text/html')
  // Accord's own copy carries its clauses already (ProseMirror marks it with data-pm-slice).
  if (!html || html.includes('data-pm-slice')) return false
  const { locked } = consensusOf(view.state)
  if (locked.has(clauseIdsAt(view.state).at(-1) ?? '')) return false
  const pasted = readPastedText(html)
  const tr = pasted && structuredPaste(view.state, pasted)
  if (tr) {
    view.dispatch(tr)
    return true
  }
  const closed = keepFirstBlock(slice)
  if (closed === slice) return false
  view.dispatch(view.state.tr.replaceSelection(closed).scrollIntoView())
  return true
}

const pastePlugin = () =>
  new Plugin({
    key: new PluginKey('accordPaste'),
    props: {
      transformPastedHTML: normalizePastedHtml,
      handlePaste: pasteFromOutside,
    },
  })

export const PasteCleanup = Extension.create({
  name: 'accordPasteCleanup',
  addProseMirrorPlugins: () => [pastePlugin()],
})
