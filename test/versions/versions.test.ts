/**
 * Named versions against a real server, edited by real y-websocket clients: saved by editors, chairs and
 * administrators only, listed newest first, compared clause by clause (the changed words exactly, a moved clause
 * recognised as moved), restored as a new edit through the update checks: refused as a whole where it would
 * change an agreed clause, accepted elsewhere and seen by every live client.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  agreeByTitle,
  appendClauses,
  must,
  newDeliverable,
  sectionByTitle,
  sections,
  type Workspace,
} from '../consensus/support.ts'
import { buildWorkspace } from '../support/factories.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { compare, listVersions, moveClause, partsOf, restore, saveVersion, setParagraph } from './support.ts'

let server: TestServer
let ws: Workspace
let editor: LiveClient

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => {
  editor?.destroy()
  await server.stop()
})

const live = (deliverableId: string) => server.accord!.ctx.hub.loaded(deliverableId)!

async function editorOn(deliverableId: string): Promise<LiveClient> {
  editor?.destroy()
  editor = connectClient(server, deliverableId, ws.editor.cookie, { accord: true })
  await editor.synced()
  return editor
}

describe('saving and listing versions', () => {
  test('editors, chairs and administrators save a named version: 201 with its id, name and time', async () => {
    const id = ws.deliverable.id
    for (const [who, session] of [
      ['editor', ws.editor],
      ['chair', ws.chair],
      ['admin', ws.admin],
    ] as const) {
      const response = await session.api.post(`/api/deliverables/${id}/versions`, { name: `By the ${who}` })
      expect(response.status, JSON.stringify(response.body)).toBe(201)
      expect(response.body.version).toMatchObject({ name: `By the ${who}`, id: expect.any(String) })
      expect(Number.isNaN(Date.parse(response.body.version.createdAt))).toBe(false)
    }
  })

  test('participants and observers are refused with 403, outsiders see nothing (404), bad names 400', async () => {
    const path = `/api/deliverables/${ws.deliverable.id}/versions`
    expect((await ws.participant.api.post(path, { name: 'Mine' })).status).toBe(403)
    expect((await ws.observer.api.post(path, { name: 'Mine' })).status).toBe(403)
    expect((await ws.outsider.api.post(path, { name: 'Mine' })).status).toBe(404)
    expect((await ws.editor.api.post(path, { name: '   ' })).status).toBe(400)
    expect((await ws.editor.api.post(path, {})).status).toBe(400)
  })

  test('the list is newest first, and every member may read it', async () => {
    const names = (await listVersions(ws.participant, ws.deliverable.id)).map((v) => v.name)
    expect(names).toEqual(['By the admin', 'By the chair', 'By the editor'])
  })

  test('the abilities in the deliverable say who may save and restore', async () => {
    const abilities = async (session: typeof ws.editor) =>
      (await session.api.get(`/api/deliverables/${ws.deliverable.id}`)).body.deliverable.abilities
    expect(await abilities(ws.editor)).toMatchObject({ 'save-version': true, 'restore-version': true })
    expect(await abilities(ws.participant)).toMatchObject({ 'save-version': false, 'restore-version': false })
  })

  test('a meeting that closes leaves a version behind, saved by the product', async () => {
    await server.accord!.ctx.versions.saveAtMeetingClose(ws.deliverable.id, 'meeting 3, Geneva')
    const [newest] = await listVersions(ws.editor, ws.deliverable.id)
    expect(newest).toMatchObject({
      name: 'Output of meeting 3, Geneva',
      origin: 'meeting-closed',
      createdBy: null,
    })
  })

  test('one version read back: every clause with its number, title, text, status and hash then', async () => {
    const id = ws.deliverable.id
    const [newest] = await listVersions(ws.editor, id)
    const response = await ws.observer.api.get(`/api/deliverables/${id}/versions/${newest!.id}`)
    expect(response.status).toBe(200)
    const now = await sections(ws.editor, id)
    expect(
      response.body.version.clauses.map(
        (c: { number: string; title: string; hash: string; status: string }) => [
          c.number,
          c.title,
          c.hash,
          c.status,
        ],
      ),
    ).toEqual(now.map((s) => [s.number, s.title, s.hash, s.status]))
    expect((await ws.observer.api.get(`/api/deliverables/${id}/versions/nosuchversion`)).status).toBe(404)
  })
})

describe('comparing', () => {
  let deliverableId: string
  let before: string

  beforeAll(async () => {
    deliverableId = (await newDeliverable(ws)).id
    await appendClauses(server, ws.editor, deliverableId, 2)
    const client = await editorOn(deliverableId)
    await setParagraph(client, 'Scope', 'This Technical Report describes the metaverse.')
    before = (await saveVersion(ws.editor, deliverableId, 'Before the meeting')).id
    await setParagraph(client, 'Scope', 'This Technical Report defines the immersive metaverse.')
    await moveClause(client, 'Extra 1', 'Technical framework')
  })

  test('a version against now: exactly the inserted and deleted words of the edited clause', async () => {
    const comparison = await compare(ws.participant, deliverableId, before)
    const scope = comparison.clauses.find((c) => c.to?.title === 'Scope')!
    expect(scope.change).toBe('changed')
    expect(partsOf(scope.text, 'insert')).toEqual(['defines', 'immersive'])
    expect(partsOf(scope.text, 'delete')).toEqual(['describes'])
    expect(comparison.summary).toMatchObject({ clausesChanged: 1, wordsInserted: 2, wordsDeleted: 1 })
    expect(comparison.from).toMatchObject({ id: before, name: 'Before the meeting' })
    expect(comparison.to.id).toBe('now')
  })

  test('a clause moved under another clause is recognised as the same clause, moved, not removed and added', async () => {
    const comparison = await compare(ws.editor, deliverableId, before)
    const moved = comparison.clauses.find((c) => c.id === 'extra1')!
    expect(moved).toMatchObject({ change: 'unchanged', moved: true })
    expect(moved.from?.number).toBe('9')
    expect(moved.to?.number).toBe('7.1')
    expect(comparison.summary).toMatchObject({ clausesMoved: 1, clausesAdded: 0, clausesRemoved: 0 })
  })

  test('two versions compare the same way, and unknown or missing versions are refused', async () => {
    const after = await saveVersion(ws.editor, deliverableId, 'After the meeting')
    const comparison = await compare(ws.editor, deliverableId, before, after.id)
    expect(comparison.to).toMatchObject({ id: after.id, name: 'After the meeting' })
    expect(comparison.summary).toMatchObject({
      clausesChanged: 1,
      clausesMoved: 1,
      wordsInserted: 2,
      wordsDeleted: 1,
    })
    const path = `/api/deliverables/${deliverableId}/compare`
    expect((await ws.editor.api.get(`${path}?from=nosuch&to=now`)).status).toBe(404)
    expect((await ws.editor.api.get(`${path}?to=now`)).status).toBe(400)
    expect((await ws.outsider.api.get(`${path}?from=${before}`)).status).toBe(404)
  })
})

describe('restoring', () => {
  let deliverableId: string

  beforeAll(async () => {
    deliverableId = (await newDeliverable(ws)).id
  })

  test('refused as a whole, with the reason, where it would change an agreed clause; nothing changes', async () => {
    const client = await editorOn(deliverableId)
    await setParagraph(client, 'Overview', 'The overview as first drafted.')
    const first = await saveVersion(ws.editor, deliverableId, 'First draft')
    await setParagraph(client, 'Overview', 'The overview as the group agreed it.')
    await setParagraph(client, 'Scope', 'A scope written after the first draft.')
    await agreeByTitle(ws, deliverableId, 'Overview')
    const stateBefore = Y.encodeStateVector(live(deliverableId).doc)
    const sectionsBefore = await sections(ws.editor, deliverableId)

    const response = await restore(ws.editor, deliverableId, first.id)
    expect(response.status, JSON.stringify(response.body)).toBe(409)
    expect(response.body.error.code).toBe('section_locked')
    expect(response.body.error.message).toMatch(/6 “Overview”/)
    expect(response.body.error.message).toMatch(/nothing was changed/)
    expect(Y.encodeStateVector(live(deliverableId).doc)).toEqual(stateBefore)
    expect(await sections(ws.editor, deliverableId)).toEqual(sectionsBefore)
    expect(firstParagraphText(clauseByTitle(client.body, 'Scope')).toString()).toBe(
      'A scope written after the first draft.',
    )
  })

  test('accepted where no agreed clause changes: a new edit that every live client receives', async () => {
    const client = await editorOn(deliverableId)
    const reader = connectClient(server, deliverableId, ws.observer.cookie, { accord: true })
    await reader.synced()
    const agreed = await saveVersion(ws.chair, deliverableId, 'Overview agreed')
    await setParagraph(client, 'Scope', 'A scope rewritten by mistake.')
    await setParagraph(client, 'Conventions', 'Conventions nobody wanted.')

    const response = await restore(ws.editor, deliverableId, agreed.id)
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    expect(response.body).toEqual({ changed: true })
    const scopeText = (c: LiveClient) => firstParagraphText(clauseByTitle(c.body, 'Scope')).toString()
    await waitFor(
      () => scopeText(reader) === 'A scope written after the first draft.',
      'the reader to get the restore',
    )
    await waitFor(
      () => scopeText(client) === 'A scope written after the first draft.',
      'the editor to get the restore',
    )
    const scope = await sectionByTitle(ws.editor, deliverableId, 'Scope')
    expect(scope.text).toBe('A scope written after the first draft.')
    expect((await sectionByTitle(ws.editor, deliverableId, 'Overview')).status).toBe('agreed')
    expect((await compare(ws.editor, deliverableId, agreed.id)).summary).toMatchObject({
      clausesChanged: 0,
      wordsInserted: 0,
      wordsDeleted: 0,
    })
    // Restoring what the document already holds changes nothing.
    expect((await restore(ws.editor, deliverableId, agreed.id)).body).toEqual({ changed: false })
    reader.destroy()
  })

  test('participants may not restore (403); an unknown version is 404', async () => {
    const [newest] = await listVersions(ws.editor, deliverableId)
    expect((await restore(ws.participant, deliverableId, newest!.id)).status).toBe(403)
    expect((await restore(ws.editor, deliverableId, 'nosuchversion')).status).toBe(404)
  })

  test('after a reopen, the same restore goes through', async () => {
    const first = (await listVersions(ws.editor, deliverableId)).find((v) => v.name === 'First draft')
    const overview = await sectionByTitle(ws.chair, deliverableId, 'Overview')
    await must(ws.chair, deliverableId, overview.id, { action: 'reopen', note: 'Back to the first draft.' })
    const response = await restore(ws.editor, deliverableId, first!.id)
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    expect((await sectionByTitle(ws.editor, deliverableId, 'Overview')).text).toBe(
      'The overview as first drafted.',
    )
  })
})
