/** import(export(d)) keeps every clause's number, title and text, for each of the demo's deliverables. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportService } from '../../server/export/exportService.ts'
import { demoWorkspace, squash } from '../export/support.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { upload } from './support.ts'

let server: TestServer
let workspace: Awaited<ReturnType<typeof demoWorkspace>>

beforeAll(async () => {
  server = await startTestServer()
  workspace = await demoWorkspace(server)
}, 30_000)

afterAll(async () => {
  await server?.stop()
})

interface Section {
  number: string
  title: string
  text: string
}
const shape = (sections: Section[]) =>
  sections.map((s) => ({ number: s.number, title: s.title, text: squash(s.text) }))

describe('a deliverable exported to Word and imported back', () => {
  it('keeps every clause number, title and text of each demo deliverable', async () => {
    const ctx = server.accord!.ctx
    for (const deliverable of workspace.demos) {
      const docx = (await new ExportService(ctx).export(deliverable, { format: 'docx' })).bytes
      const imported = await upload(server, workspace.chair, docx, {
        groupId: workspace.wg.id,
        type: deliverable.type,
      })
      expect(imported.status, JSON.stringify(imported.body)).toBe(201)
      expect(imported.body.import.trackedChanges).toMatchObject({ insertions: 0, deletions: 0, comments: 0 })
      const original = (await workspace.chair.api.get(`/api/deliverables/${deliverable.id}`)).body.sections
      const copy = (await workspace.chair.api.get(`/api/deliverables/${imported.body.deliverable.id}`)).body
        .sections
      expect(shape(copy), deliverable.title).toEqual(shape(original))
      // Clauses 2 to 5 stay protected in the copy.
      expect(copy.filter((s: { required: boolean }) => s.required).map((s: Section) => s.number)).toEqual([
        '2',
        '3',
        '4',
        '5',
      ])
    }
  }, 60_000)
})
