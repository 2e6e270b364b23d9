/**
 * An editor goes offline, a chair agrees a clause meanwhile, the editor edits that clause and another one, then
 * reconnects. SYNC.md §3: the server refuses the whole update (naming the agreed clause) and ignores that
 * replica from then on; the client recovers with a fresh document and re-applies its edits to unlocked clauses.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { buildWorkspace } from '../support/factories.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { agreeByTitle, pause, savedAll, sectionByTitle, type Workspace } from './support.ts'

let server: TestServer
let ws: Workspace

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

const refusal = (client: LiveClient) => client.messages.find((m) => m.type === 'refused')

describe('an editor who edited an agreed clause offline', () => {
  test('is refused naming that clause, nothing of the update is applied, and a fresh client can redo the rest', async () => {
    const id = ws.deliverable.id
    const editor = connectClient(server, id, ws.editor.cookie, { accord: true })
    await editor.synced()
    await waitFor(() => editor.messages.some((m) => m.type === 'welcome'), 'welcome')
    editor.provider.disconnect()
    await waitFor(() => !editor.provider.wsconnected, 'the editor is offline')

    const x = await agreeByTitle(ws, id, 'Scope')
    const yBefore = await sectionByTitle(ws.chair, id, 'Overview')
    firstParagraphText(clauseByTitle(editor.body, 'Scope')).insert(0, 'Offline in X. ')
    firstParagraphText(clauseByTitle(editor.body, 'Overview')).insert(0, 'Offline in Y. ')
    const live = server.accord!.ctx.hub.loaded(id)!
    const stateBefore = Y.encodeStateVector(live.doc)

    editor.provider.connect()
    await waitFor(() => refusal(editor) !== undefined, 'the refusal')
    expect(refusal(editor)).toMatchObject({ reason: 'section-locked', sectionIds: [x.id] })

    await pause(100)
    expect(Y.encodeStateVector(live.doc)).toEqual(stateBefore)
    expect(Y.getState(live.doc.store, editor.doc.clientID)).toBe(0)
    expect(await sectionByTitle(ws.chair, id, 'Scope')).toEqual(x)
    expect(await sectionByTitle(ws.chair, id, 'Overview')).toEqual(yBefore)

    // The refused replica is finished: what it sends later is ignored too, even in unlocked clauses.
    firstParagraphText(clauseByTitle(editor.body, 'Overview')).insert(0, 'Still refused. ')
    await pause(200)
    expect(Y.encodeStateVector(live.doc)).toEqual(stateBefore)

    // Recovery as the client does it: a fresh Y.Doc, then only the edit to the unlocked clause again.
    editor.destroy()
    const fresh = connectClient(server, id, ws.editor.cookie, { accord: true })
    await fresh.synced()
    expect(fresh.body.toString()).not.toContain('Offline')
    firstParagraphText(clauseByTitle(fresh.body, 'Overview')).insert(0, 'Offline in Y. ')
    await savedAll(fresh)
    expect(refusal(fresh)).toBeUndefined()
    expect((await sectionByTitle(ws.chair, id, 'Overview')).text).toBe(`Offline in Y. ${yBefore.text}`)
    expect(await sectionByTitle(ws.chair, id, 'Scope')).toEqual(x)
    fresh.destroy()
  })

  test('a plain client in the same situation is closed with 4423 and does not reconnect', async () => {
    const id = ws.deliverable.id
    const editor = connectClient(server, id, ws.editor2.cookie)
    await editor.synced()
    editor.provider.disconnect()
    await waitFor(() => !editor.provider.wsconnected, 'the editor is offline')
    const x = await agreeByTitle(ws, id, 'Technical framework')
    firstParagraphText(clauseByTitle(editor.body, 'Technical framework')).insert(0, 'Offline. ')
    editor.provider.connect()
    await waitFor(() => editor.closes.length > 0, 'the close')
    expect(editor.closes[0]).toEqual({ code: 4423, reason: 'section-locked' })
    await pause(500)
    expect(editor.closes).toHaveLength(1)
    expect(await sectionByTitle(ws.chair, id, 'Technical framework')).toEqual(x)
    editor.destroy()
  })
})
