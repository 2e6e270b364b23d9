/**
 * `GET /api/meetings/:id/report?format=docx|md`: the meeting's record as an ITU-style report, read back from the
 * .docx with a real reader (unzip of word/document.xml) and from the Markdown.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { docxText } from './docx.ts'
import { agreeSection, meetingOn } from './support.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.stop())

test('the report lists attendance, agenda, contributions and dispositions, decisions with hash, actions', async () => {
  const ws = await meetingOn(await buildWorkspace(server))
  const url = `/api/meetings/${ws.meetingId}`
  const clause = ws.sections[0]!
  const contribution = await ws.editor.api.post(`${url}/contributions`, {
    number: 'FGMV-I-123',
    title: 'Scope of the architecture',
    sources: ['ETRI'],
    targets: [{ deliverableId: ws.deliverable.id, sectionId: clause.id }],
  })
  await ws.chair.api.put(`${url}/agenda`, {
    items: [{ title: 'Approval of the agenda', timeboxMinutes: 5 }, { title: 'Architecture' }],
  })
  expect((await ws.chair.api.post(`${url}/open`)).status).toBe(200)
  // Attendance: those connected to the meeting's deliverable while it is open.
  const editor = connectClient(server, ws.deliverable.id, ws.editor.cookie, { accord: true })
  await waitFor(() => editor.messages.some((m) => m.type === 'meeting'), 'the meeting state')
  for (let i = 0; i < 100; i++) {
    if ((await ws.chair.api.get(url)).body.meeting.attendance.length > 0) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await ws.chair.api.post(`${url}/contributions/${contribution.body.contribution.id}/disposition`, {
    disposition: 'agreed-with-modifications',
    note: 'NOTE 2 removed',
  })
  const agreed = await agreeSection(ws, clause.id, 'Agreed as amended by FGMV-I-123')
  await ws.chair.api.post(`${url}/action-items`, {
    text: 'Editors to align 3.2 with Y.3090',
    owner: 'Editors',
  })
  expect((await ws.chair.api.post(`${url}/close`)).status).toBe(200)
  editor.destroy()

  const response = await fetch(`${server.url}${url}/report?format=docx`, {
    headers: { cookie: ws.observer.cookie },
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('wordprocessingml')
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.docx"$/)
  const text = await docxText(await response.arrayBuffer())
  const hash12 = agreed.hash.replace('sha256-', '').slice(0, 12)
  for (const expected of [
    'Report of the 1st meeting of WG1: Third meeting',
    'Riyadh',
    'Eve Editor',
    'Approval of the agenda (5 min)',
    'FGMV-I-123',
    'Agreed with modifications: NOTE 2 removed',
    `${clause.number} ${clause.title}`.trim(),
    'Agreed as amended by FGMV-I-123',
    hash12,
    'ACTION: Editors to align 3.2 with Y.3090 (Editors)',
    'Output of Third meeting',
  ])
    expect(text, expected).toContain(expected)

  const md = await ws.participant.api.get(`${url}/report?format=md`)
  expect(md.status).toBe(200)
  expect(md.headers.get('content-type')).toContain('text/markdown')
  expect(md.body).toContain(`| ${hash12} | FGMV-I-123 |`)
  expect(md.body).toContain('| Eve Editor | ETRI |')
  expect((await ws.participant.api.get(`${url}/report?format=pdf`)).status).toBe(400)
  expect((await ws.outsider.api.get(`${url}/report?format=md`)).status).toBe(404)

  // The deliverable's own change log names the meeting and the contribution that led to the change.
  const exported = await ws.participant.api.get(`/api/deliverables/${ws.deliverable.id}/export?format=md`)
  expect(exported.status).toBe(200)
  // Markdown escapes punctuation with backslashes: read it as the text it shows.
  const changeLog = (String(exported.body).split('## Change log')[1] ?? '').replace(/\\(.)/g, '$1')
  expect(changeLog).toMatch(
    new RegExp(
      `Clause ${clause.number || clause.title} agreed at meeting 1, "Third meeting" \\(\\d{4}-\\d{2}-\\d{2}\\), ` +
        'from FGMV-I-123 \\(agreed with modifications\\)\\.',
    ),
  )
})
