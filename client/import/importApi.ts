/** POST /api/deliverables/import: a multipart form, answered like every other request (ApiError on failure). */
import type { ImportReport } from '../../shared/api/export.ts'
import { ApiError } from '../api/http.ts'
import type { ApiDeliverable } from '../api/types.ts'

export interface ImportAnswer {
  deliverable: ApiDeliverable
  import: ImportReport
}

export async function importDocx(form: FormData): Promise<ImportAnswer> {
  const response = await fetch('/api/deliverables/import', {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
  })
  const text = await response.text()
  let body: { error?: { code?: string; message?: string } } | ImportAnswer | undefined
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error
    const fallback =
      response.status === 413 ? 'The file is too large to import.' : 'The file could not be imported.'
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? fallback)
  }
  return body as ImportAnswer
}
