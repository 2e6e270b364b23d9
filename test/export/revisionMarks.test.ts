/**
 * Revision marks from a saved version to the present (`export?format=docx&marks=<versionId>`): a real editor
 * changes a few words over the sync protocol after the version was saved, and the export writes w:ins and w:del for
 * exactly those words, the insertion in that editor's name; LibreOffice reads them as tracked changes.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertWithOffice } from '../../server/export/officeConverter.ts'
import { clauseOwnText } from '../../shared/clauses/clauseText.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { docxPart } from './support.ts'
import { wordChanges } from './wordXml.ts'

let server: TestServer
let xml: string
let docx: Buffer

beforeAll(async () => {
  server = await startTestServer()
  const { deliverable, editor, observer } = await buildWorkspace(server)
  const ctx = server.accord!.ctx
  const live = await ctx.hub.get(deliverable.id)
  const saved = await editor.api.post(`/api/deliverables/${deliverable.id}/versions`, {
    name: 'Before the edit',
  })
  expect(saved.status).toBe(201)
  const client = connectClient(server, deliverable.id, editor.cookie, { accord: true })
  await client.synced()
  const scope = firstParagraphText(clauseByTitle(client.body, 'Scope'))
  const before = scope.toString()
  const dots = before.indexOf('...')
  client.doc.transact(() => {
    scope.delete(dots, 3)
    scope.insert(dots, 'describes a framework')
  })
  await waitFor(
    () => clauseOwnText(clauseByTitle(live.body, 'Scope')).includes('framework'),
    'the edit on the server',
  )
  client.destroy()
  const response = await fetch(
    `${server.url}/api/deliverables/${deliverable.id}/export?format=docx&marks=${saved.body.version.id}`,
    { headers: { cookie: observer.cookie! } },
  )
  expect(response.status).toBe(200)
  docx = Buffer.from(await response.arrayBuffer())
  xml = docxPart(docx, 'word/document.xml')
}, 60_000)

afterAll(async () => {
  await server?.stop()
})

describe('revision marks against an earlier state', () => {
  it('inserts exactly the typed words, in the name of the editor who typed them, with a date', () => {
    const inserted = wordChanges(xml, 'w:ins')
    expect(inserted.map((c) => c.text).join('')).toBe('describes a framework')
    expect(new Set(inserted.map((c) => c.author))).toEqual(new Set(['Eve Editor']))
    for (const change of inserted) expect(change.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it('deletes exactly the removed words (Yjs does not record who deleted: the product signs them)', () => {
    const deleted = wordChanges(xml, 'w:del')
    expect(deleted.map((c) => c.text).join('')).toBe('...')
    expect(new Set(deleted.map((c) => c.author))).toEqual(new Set(['Accord']))
  })

  it('leaves every unchanged clause unmarked', () => {
    expect(wordChanges(xml, 'w:ins')).toHaveLength(1)
    expect(xml).toContain('This Technical Report uses the following terms defined elsewhere:')
  })

  it('is read by LibreOffice as tracked changes', async () => {
    const flat = (await convertWithOffice(docx, { from: 'docx', to: 'fodt' })).toString('utf8')
    const tracked = /<text:tracked-changes[^>]*>([\s\S]*?)<\/text:tracked-changes>/.exec(flat)?.[1] ?? ''
    expect(tracked.match(/<text:insertion>/g)?.length).toBe(1)
    expect(tracked.match(/<text:deletion>/g)?.length).toBe(1)
    expect(tracked).toContain('<dc:creator>Eve Editor</dc:creator>')
    expect(tracked).toContain('<dc:creator>Accord</dc:creator>')
  })
})
