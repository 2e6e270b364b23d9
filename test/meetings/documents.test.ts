/**
 * A contribution carries its Word file: its contributor (or a chair) uploads the .docx as a multipart form; it is
 * checked (a Word document, within the import's size and zip limits), kept durably (files or PostgreSQL) and
 * served as uploaded to everyone who may see the meeting. Bad input gets a clear 4xx and nothing is stored.
 */
import { Document, Packer, Paragraph, TextRun } from 'docx'
import { zipSync } from 'fflate'
import { describe, expect, test } from 'vitest'
import type { Session } from '../support/factories.ts'
import { storedContributionFiles } from '../support/storedState.ts'
import { meetingOn, serverWithWorkspace } from './support.ts'

const ctx = serverWithWorkspace()

async function wordFile(text: string): Promise<Uint8Array> {
  const doc = new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun(text)] })] }] })
  return new Uint8Array(await Packer.toBuffer(doc))
}

/** PUT the file as a browser's form would. */
async function attach(session: Session, path: string, file: Uint8Array | null, fileName = 'FGMV-I-120.docx') {
  const body = new FormData()
  if (file) body.set('file', new Blob([new Uint8Array(file)]), fileName)
  else body.set('note', 'no file')
  const response = await fetch(`${ctx.server.url}${path}`, {
    method: 'PUT',
    headers: { cookie: session.cookie },
    body,
  })
  return { status: response.status, body: await response.json() }
}

async function download(session: Session, path: string) {
  const response = await fetch(`${ctx.server.url}${path}`, { headers: { cookie: session.cookie } })
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

/** A meeting with a contribution registered by the participant; the paths of its file. */
async function contributionOf() {
  const m = await meetingOn(ctx.base)
  const registered = await m.participant.api.post(`/api/meetings/${m.meetingId}/contributions`, {
    number: `FGMV-I-${Math.floor(Math.random() * 90000) + 1}`,
    title: 'Proposed changes to clause 6',
    sources: ['ETRI'],
  })
  expect(registered.status).toBe(201)
  const contributionId = registered.body.contribution.id as string
  expect(registered.body.contribution.document).toBeNull()
  const documentPath = `/api/meetings/${m.meetingId}/contributions/${contributionId}/document`
  const stored = () => storedContributionFiles(ctx.server, m.meetingId)
  return { ...m, contributionId, documentPath, stored }
}

describe('a contribution carries its .docx', () => {
  test('its contributor uploads it; everyone who sees the meeting downloads the same bytes', async () => {
    const m = await contributionOf()
    const bytes = await wordFile('Proposed text for clause 6.')
    const attached = await attach(m.participant, m.documentPath, bytes, 'FGMV-I-120 (ETRI) é.docx')
    expect(attached.status, JSON.stringify(attached.body)).toBe(200)
    expect(attached.body.contribution.document).toMatchObject({
      fileName: 'FGMV-I-120 (ETRI) é.docx',
      bytes: bytes.length,
      uploadedBy: m.participant.user.id,
    })
    expect(attached.body.contribution.document.sha256).toMatch(/^sha256-[0-9a-f]{64}$/)
    expect(await m.stored()).toHaveLength(1)
    for (const who of [m.observer, m.editor, m.chair, m.admin]) {
      const { response, bytes: got } = await download(who, m.documentPath)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain('wordprocessingml')
      expect(response.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent('FGMV-I-120 (ETRI) é.docx')}`,
      )
      expect(got).toEqual(bytes)
    }
    expect((await download(m.outsider, m.documentPath)).response.status).toBe(404)
  })

  test('only its contributor, chairs and administrators attach it; a new upload replaces the old file', async () => {
    const m = await contributionOf()
    const first = await wordFile('First draft.')
    // The server says to whom the upload is offered (the client only mirrors it).
    const attachable = async (who: Session) =>
      (await who.api.get(`/api/meetings/${m.meetingId}`)).body.meeting.attachable
    expect(await attachable(m.participant)).toEqual([m.contributionId])
    expect(await attachable(m.chair)).toEqual([m.contributionId])
    expect(await attachable(m.editor)).toEqual([])
    expect(await attachable(m.observer)).toEqual([])
    expect((await attach(m.participant, m.documentPath, first)).status).toBe(200)
    for (const who of [m.editor, m.observer])
      expect((await attach(who, m.documentPath, await wordFile('Not mine.'))).status).toBe(403)
    expect((await attach(m.outsider, m.documentPath, first)).status).toBe(404)
    const revised = await wordFile('Revised by the chair.')
    const replaced = await attach(m.chair, m.documentPath, revised, 'FGMV-I-120r1.docx')
    expect(replaced.status).toBe(200)
    expect(replaced.body.contribution.document.fileName).toBe('FGMV-I-120r1.docx')
    const again = await download(m.participant, m.documentPath)
    expect(again.response.status, new TextDecoder().decode(again.bytes)).toBe(200)
    expect(again.bytes).toEqual(revised)
    // The replaced file is gone from storage.
    expect(await m.stored()).toHaveLength(1)
  })

  test('a contribution without a file, or an unknown one, is 404', async () => {
    const m = await contributionOf()
    expect((await download(m.chair, m.documentPath)).response.status).toBe(404)
    const unknown = `/api/meetings/${m.meetingId}/contributions/nope/document`
    expect((await download(m.chair, unknown)).response.status).toBe(404)
    expect((await attach(m.chair, unknown, await wordFile('x'))).status).toBe(404)
  })
})

describe('bad input is refused with a clear message and nothing is stored', () => {
  test.each([
    ['not a zip', new TextEncoder().encode('<html>hello</html>'), 'x.docx', /not a \.docx/],
    ['a zip without a Word document', zipSync({ 'a.txt': new Uint8Array([1]) }), 'x.docx', /not a Word/],
    ['an empty file', new Uint8Array(), 'x.docx', /attach the contribution/],
    ['no file at all', null, 'x.docx', /attach the contribution/],
  ] as const)('%s: 400', async (_what, file, name, message) => {
    const m = await contributionOf()
    const refused = await attach(m.participant, m.documentPath, file as Uint8Array | null, name)
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(message)
    expect(await m.stored()).toEqual([])
    const meeting = (await m.chair.api.get(`/api/meetings/${m.meetingId}`)).body.meeting
    expect(meeting.contributions[0].document).toBeNull()
  })

  test('a file that is not named .docx: 400', async () => {
    const m = await contributionOf()
    const refused = await attach(m.participant, m.documentPath, await wordFile('x'), 'contribution.pdf')
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(/not a Word document \(\.docx\)/)
    expect(await m.stored()).toEqual([])
  })

  test('over 10 MB: 413; a JSON body: 400; the server stays up', async () => {
    const m = await contributionOf()
    const huge = await attach(m.participant, m.documentPath, new Uint8Array(11 * 1024 * 1024))
    expect(huge.status).toBe(413)
    const json = await m.participant.api.put(m.documentPath, { file: 'abc' })
    expect(json.status).toBe(400)
    expect(json.body.error.message).toMatch(/multipart/)
    expect(await m.stored()).toEqual([])
    expect((await m.chair.api.get('/api/health')).status).toBe(200)
  })
})
