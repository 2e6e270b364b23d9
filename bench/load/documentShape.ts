/**
 * Every peer holds the same document: the deliverable skeleton Accord seeds (technical report), built by the
 * same code with deterministic clause ids. Accord seeds it itself; on the other peers the first writer sends it.
 */
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { isClauseElement } from '../../shared/clauses/clauseText.ts'
import { skeletonFor } from '../../shared/clauses/skeletonTypes.ts'
import { accordSchema, BODY_FIELD } from '../../shared/editor/extensions.ts'
import { firstParagraphText } from '../../test/support/syncClients.ts'
import type { DocumentTarget } from '../peers/types.ts'

let seed: Uint8Array | undefined

/** The technical-report skeleton as one Yjs update (made once per process). */
export function skeletonUpdate(): Uint8Array {
  if (!seed) {
    let n = 0
    const skeleton = skeletonFor('technical-report', () => `clause-${String(++n).padStart(3, '0')}`)
    const doc = new Y.Doc()
    prosemirrorJSONToYXmlFragment(accordSchema(), skeleton.doc, doc.getXmlFragment(BODY_FIELD))
    seed = Y.encodeStateAsUpdate(doc)
    doc.destroy()
  }
  return seed
}

/** Gives the first writer's document the skeleton, where the server does not seed it. */
export function seedIfNeeded(target: DocumentTarget, doc: Y.Doc): void {
  if (!target.serverSeeded) Y.applyUpdate(doc, skeletonUpdate())
}

/** Clauses that have a paragraph of their own, in document order (sub-clauses included). */
export function clausesWithParagraph(body: Y.XmlFragment): Y.XmlElement[] {
  const found: Y.XmlElement[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!isClauseElement(child)) continue
      if (child.toArray().some((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph'))
        found.push(child)
      walk(child)
    }
  }
  walk(body)
  return found
}

/** The text typist `index` types into: the first paragraph of the index-th clause that has one. */
export function typingText(body: Y.XmlFragment, index: number): Y.XmlText {
  const clauses = clausesWithParagraph(body)
  const clause = clauses[index % clauses.length]
  if (!clause) throw new Error('the document has no clause with a paragraph')
  return firstParagraphText(clause)
}
