/**
 * Revision marks as a step of the writer rather than of the reader: the document carries the base state and the
 * authors' names, and whoever writes the file (the .docx worker thread, or the HTML and Markdown writers) marks
 * the clauses first. Reading and comparing the base costs seconds on a large deliverable: off the event loop.
 */
import { docFromUpdate, readModel } from './documentModel.ts'
import type { ExportDocument } from './exportDocument.ts'
import { layoutClauses } from './layout.ts'
import { markRevisions, PRODUCT_AUTHOR } from './revisionMarks.ts'

export interface PendingRevisions {
  /** The complete Yjs update of the base state. */
  base: Uint8Array
  /** The name of each Yjs client's owner, where the server knows it. */
  authors: [number, string][]
  /** The clause ids agreed now (their layout in the base must match the present's). */
  agreed: string[]
}

export function applyPendingRevisions(document: ExportDocument): ExportDocument {
  const pending = document.pendingRevisions
  if (!pending) return document
  const agreed = new Set(pending.agreed)
  const baseDoc = docFromUpdate(pending.base)
  const model = readModel(baseDoc)
  baseDoc.destroy()
  const kept = document.agreedOnly ? model.filter((c) => agreed.has(c.id)) : model
  const base = layoutClauses(kept, { type: document.type, agreed, changeLog: document.changeLog })
  const names = new Map(pending.authors)
  const clauses = markRevisions(base, document.clauses, (client) => names.get(client) ?? PRODUCT_AUTHOR)
  return { ...document, clauses, pendingRevisions: null }
}
