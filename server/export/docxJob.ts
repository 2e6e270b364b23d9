/**
 * One .docx to write: either a laid-out document, or the gathered sources and the Yjs document to compose it from
 * where the job runs (on the worker, its copy of the live document: so that the reading and the layout of a large
 * text stay off the event loop too). The same function runs in the worker and, where no worker can start,
 * in-process with the live document itself.
 */

import type * as Y from 'yjs'
import { composeDocument, type ExportSource } from './composeDocument.ts'
import { writeDocx } from './docxWriter.ts'
import type { ExportDocument } from './exportDocument.ts'
import { applyPendingRevisions } from './pendingRevisions.ts'

export type DocxInput =
  | { document: ExportDocument }
  | {
      source: ExportSource
      /** The text to export: read, never changed. */
      doc: Y.Doc
    }

export function buildDocx(input: DocxInput): Promise<Buffer> {
  return writeDocx(applyPendingRevisions(documentOf(input)))
}

function documentOf(input: DocxInput): ExportDocument {
  return 'document' in input ? input.document : composeDocument(input.source, input.doc)
}
