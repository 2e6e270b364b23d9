/**
 * PUT /api/deliverables/:id/export-header: those who may change the text set the document header of the exports;
 * an empty value restores the default; anyone else is refused and nothing changes.
 */
import { describe, expect, it } from 'vitest'
import { type ApiClient, client } from '../support/http.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'

const fixture = workspaceServerForFile()

const setHeader = (as: ApiClient, body: unknown) =>
  as.put(`/api/deliverables/${fixture.ws.deliverable.id}/export-header`, body)
const storedHeader = () => fixture.server.accord!.ctx.metadata.deliverable(fixture.ws.deliverable.id)!.header
const markdownExport = async (as: ApiClient) =>
  String((await as.get(`/api/deliverables/${fixture.ws.deliverable.id}/export?format=md`)).body)

describe('the document header of the exports', () => {
  it('is set by an editor, answered, kept and printed in the export', async () => {
    const { editor, observer } = fixture.ws
    const response = await setHeader(editor.api, {
      documentNumber: 'FGMV-I-099',
      purpose: 'Proposal',
      contacts: ['Eve Editor, ETRI'],
    })
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    expect(response.body.header).toEqual({
      documentNumber: 'FGMV-I-099',
      purpose: 'Proposal',
      contacts: ['Eve Editor, ETRI'],
    })
    expect(storedHeader()).toEqual(response.body.header)
    const printed = await markdownExport(observer.api)
    expect(printed).toContain('| Purpose: | Proposal |')
    expect(printed).toContain('| Contact: | Eve Editor, ETRI |')
  })

  it('restores a default for an empty value and keeps the fields not named', async () => {
    const response = await setHeader(fixture.ws.chair.api, { documentNumber: '', contacts: [] })
    expect(response.status).toBe(200)
    expect(response.body.header).toEqual({ purpose: 'Proposal' })
    expect(storedHeader()).toEqual({ purpose: 'Proposal' })
  })

  it('is refused to those who may not change the text, and to bad bodies, changing nothing', async () => {
    const { participant, observer, outsider } = fixture.ws
    const before = structuredClone(storedHeader())
    expect((await setHeader(participant.api, { documentNumber: 'X' })).status).toBe(403)
    expect((await setHeader(observer.api, { documentNumber: 'X' })).status).toBe(403)
    expect((await setHeader(outsider.api, { documentNumber: 'X' })).status).toBe(404)
    expect((await setHeader(client(fixture.server.url), { documentNumber: 'X' })).status).toBe(401)
    const unknownPurpose = await setHeader(fixture.ws.editor.api, { documentNumber: 'X', purpose: 'Gossip' })
    expect(unknownPurpose.status).toBe(400)
    expect(unknownPurpose.body.error.message).toMatch(/purpose/)
    expect((await setHeader(fixture.ws.editor.api, { keywords: 'k'.repeat(1001) })).status).toBe(400)
    expect(storedHeader()).toEqual(before)
  })
})
