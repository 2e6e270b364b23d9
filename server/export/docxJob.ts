/**
 * One .docx to write, as the export worker receives it: either a laid-out document, or the gathered sources and a
 * copy of the document's state, composed into one where the job runs (so that on the worker, the reading and the
 * layout of a large text stay off the event loop too). The same function runs in the worker and, where no worker
 * can start, in-process.
 */
import { composeDocument, type ExportSource } from './composeDocument.ts'
import { docFromUpdate } from './documentModel.ts'
import { writeDocx } from './docxWriter.ts'
import type { ExportDocument } from './exportDocument.ts'
import { applyPendingRevisions } from './pendingRevisions.ts'

export type DocxInput =
  | { document: ExportDocument }
  | {
      source: ExportSource
      /** A complete Yjs update of the text to export. */
      state: Uint8Array
    }

export function buildDocx(input: DocxInput): Promise<Buffer> {
  return writeDocx(applyPendingRevisions(documentOf(input)))
}

function documentOf(input: DocxInput): ExportDocument {
  if ('document' in input) return input.document
  const doc = docFromUpdate(input.state)
  try {
    return composeDocument(input.source, doc)
  } finally {
    doc.destroy()
  }
}
