/**
 * API.md "Export" and "Versions and import", the parts this product adds: the export query, the document header
 * fields a deliverable may set for its exports, and what an import answers besides the deliverable.
 */
import { z } from 'zod'
import { DOCUMENT_PURPOSES } from '../domain/types.ts'

import { EXPORT_FORMATS } from './constants.ts'

export { EXPORT_FORMATS, type ExportFormat } from './constants.ts'

export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS, { message: 'format must be one of docx, pdf, html, md' }),
  agreedOnly: z.enum(['true', 'false']).optional(),
  marks: z.string().min(1).max(64).optional(),
  annotations: z.enum(['true', 'false']).optional(),
})

const headerText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

/** `PUT /api/deliverables/:id/export-header`: every field optional; an empty string restores its default. */
export const documentHeaderBody = z.object({
  documentNumber: headerText(60).optional(),
  group: headerText(200).optional(),
  studyPeriod: headerText(20).optional(),
  workingGroup: headerText(200).optional(),
  meeting: headerText(200).optional(),
  source: headerText(300).optional(),
  purpose: z.enum(DOCUMENT_PURPOSES).optional(),
  contacts: z.array(headerText(300)).max(12).optional(),
  keywords: headerText(1000).optional(),
  abstract: headerText(5000).optional(),
})
export type DocumentHeaderBody = z.infer<typeof documentHeaderBody>

/** What the import did with what the file held beyond our schema. */
export interface ImportReport {
  clauses: number
  trackedChanges: {
    insertions: number
    deletions: number
    comments: number
    /** Moves (w:moveFrom with w:moveTo): a deletion suggestion at the source, an insertion at the destination. */
    moves: number
    /** Formatting-only changes (w:rPrChange, w:pPrChange): ignored, and said so in `handling`. */
    formatChanges: number
    handling: string
    /** What became annotations of the new deliverable (issue 24). */
    imported?: { suggestions: number; comments: number; headingChanges: number; notImported: string[] }
  }
  /** One line per kind of thing left out, e.g. "3 images (pictures are not part of the text)". */
  dropped: string[]
}
