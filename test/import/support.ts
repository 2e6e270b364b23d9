/** Uploading a file to POST /api/deliverables/import as a browser's form would. */
import type { Session } from '../support/factories.ts'
import type { TestServer } from '../support/testServer.ts'

export async function upload(
  server: TestServer,
  session: Session,
  file: Uint8Array,
  form: { groupId: string; type: string; title?: string },
  fileName = 'contribution.docx',
) {
  const body = new FormData()
  body.set('groupId', form.groupId)
  body.set('type', form.type)
  if (form.title) body.set('title', form.title)
  body.set('file', new Blob([new Uint8Array(file)]), fileName)
  const response = await fetch(`${server.url}/api/deliverables/import`, {
    method: 'POST',
    headers: { cookie: session.cookie },
    body,
  })
  const text = await response.text()
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {
    json = text
  }
  return { status: response.status, body: json }
}

/** Suggestions as what they change where: their section, the text they take out and the text they put in. */
export function changesOf(suggestions: Record<string, unknown>[]) {
  return suggestions.map((s) => ({ section: s.sectionId, original: s.original, replacement: s.replacement }))
}
