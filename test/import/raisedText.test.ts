/**
 * Subscript and superscript in a file LibreOffice wrote (it raises or lowers the text and makes it smaller instead
 * of writing w:vertAlign): they survive the import as our marks, as they do from Word. Issue 22 left this gap.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { convertWithOffice } from '../../server/export/officeConverter.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { upload } from './support.ts'

let server: TestServer
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
let fromLibreOffice: Uint8Array

const HTML = `<!DOCTYPE html><html><body><h1>1 Scope</h1>
<p>Servers cooled by H<sub>2</sub>O use E = mc<sup>2</sup> of power.</p></body></html>`

beforeAll(async () => {
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  fromLibreOffice = await convertWithOffice(Buffer.from(HTML), { from: 'html', to: 'docx:MS Word 2007 XML' })
}, 90_000)

afterAll(async () => {
  await server?.stop()
})

it('keeps subscript and superscript from a file LibreOffice wrote', async () => {
  const imported = await upload(server, workspace.chair, fromLibreOffice, {
    groupId: workspace.wg.id,
    type: 'technical-report',
  })
  expect(imported.status, JSON.stringify(imported.body)).toBe(201)
  const response = await fetch(
    `${server.url}/api/deliverables/${imported.body.deliverable.id}/export?format=html`,
    { headers: { cookie: workspace.chair.cookie } },
  )
  const html = await response.text()
  expect(html).toContain('H<sub>2</sub>O')
  expect(html).toContain('mc<sup>2</sup>')
  // The smaller size was the subscript's rendering, not a formatting that was dropped.
  expect(imported.body.import.dropped.join('\n')).not.toMatch(/sizes/)
}, 60_000)
