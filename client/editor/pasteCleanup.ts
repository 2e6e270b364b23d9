/**
 * Paste from Word and web pages: the schema's parse rules already keep only what it can hold (no scripts, no
 * handlers, no styles); this removes what Word adds around it (conditional comments, Office namespaces) so that
 * it does not turn into stray text, and keeps the structure (paragraphs, lists, tables, emphasis).
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'

export function cleanPastedHtml(html: string): string {
  return (
    html
      // Word's conditional comments and plain comments.
      .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      // Office namespace elements (<o:p>, <w:sdt> ...) carry nothing printable.
      .replace(/<\/?[a-z]+:[^>]*>/gi, '')
      // Style and script blocks: their text must never land in the document.
      .replace(/<(style|script|xml|meta|link)[\s\S]*?<\/\1>/gi, '')
      .replace(/<(meta|link)[^>]*>/gi, '')
  )
}

export const PasteCleanup = Extension.create({
  name: 'accordPasteCleanup',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('accordPasteCleanup'),
        props: { transformPastedHTML: cleanPastedHtml },
      }),
    ]
  },
})
