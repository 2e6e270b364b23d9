/**
 * Gives every empty text block this client creates (a new paragraph, heading or entry field) an empty Y.XmlText
 * right away. Without it, the first character typed by each of two people into the same empty block creates two
 * separate Y.XmlText children; ProseMirror shows them as one run and y-tiptap's next diff rewrites one and drops
 * the other, garbling concurrent typing. With one shared Y.XmlText, concurrent runs merge character-safely.
 */
import { Extension } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { STRUCTURE_ORIGIN } from './yStructure.ts'

export const TEXT_ANCHOR_ORIGIN = Symbol('accord-text-anchor')

function isNew(type: Y.XmlElement, transaction: Y.Transaction): boolean {
  const item = type._item
  return (
    !!item &&
    item.id.client === transaction.doc.clientID &&
    item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)
  )
}

/** Empty text blocks among `element` and its descendants. */
function collectEmptyTextblocks(element: Y.XmlElement, schema: Schema, out: Y.XmlElement[]): void {
  const children = element.toArray()
  if (children.length === 0) {
    if (schema.nodes[element.nodeName]?.isTextblock) out.push(element)
    return
  }
  for (const child of children) if (child instanceof Y.XmlElement) collectEmptyTextblocks(child, schema, out)
}

export function watchNewTextblocks(doc: Y.Doc, schema: Schema): () => void {
  const body = doc.getXmlFragment(BODY_FIELD)
  const onAfterTransaction = (transaction: Y.Transaction) => {
    const { origin } = transaction
    const local = origin === ySyncPluginKey || origin === STRUCTURE_ORIGIN || origin instanceof Y.UndoManager
    if (!local) return
    const empty: Y.XmlElement[] = []
    transaction.changed.forEach((_keys, type) => {
      const parent = type as unknown
      if (!(parent instanceof Y.XmlElement || parent === body)) return
      for (const child of (parent as Y.XmlElement | Y.XmlFragment).toArray()) {
        if (child instanceof Y.XmlElement && isNew(child, transaction))
          collectEmptyTextblocks(child, schema, empty)
      }
    })
    if (empty.length === 0) return
    doc.transact(() => {
      for (const element of empty) if (element.length === 0) element.insert(0, [new Y.XmlText()])
    }, TEXT_ANCHOR_ORIGIN)
  }
  doc.on('afterTransaction', onAfterTransaction)
  return () => doc.off('afterTransaction', onAfterTransaction)
}

export const TextAnchors = Extension.create<{ doc: Y.Doc | null }>({
  name: 'accordTextAnchors',
  addOptions() {
    return { doc: null }
  },
  onCreate() {
    const { doc } = this.options
    if (doc) this.storage.stop = watchNewTextblocks(doc, this.editor.schema)
  },
  onDestroy() {
    this.storage.stop?.()
  },
  addStorage() {
    return { stop: undefined as (() => void) | undefined }
  },
})
