import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

describe('live editing through y-websocket clients', () => {
  test('two editors edit one deliverable concurrently and converge; a late joiner gets the full state', async () => {
    const a = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    const b = connectClient(server, ws.deliverable.id, ws.editor2.cookie)
    await Promise.all([a.synced(), b.synced()])
    expect(a.body.toString()).toContain('Scope')
    const textA = firstParagraphText(clauseByTitle(a.body, 'Scope'))
    const textB = firstParagraphText(clauseByTitle(b.body, 'Scope'))
    textA.insert(0, 'Alpha wrote this. ')
    textB.insert(0, 'Bravo wrote that. ')
    await waitFor(
      () =>
        a.body.toString() === b.body.toString() &&
        a.body.toString().includes('Alpha') &&
        a.body.toString().includes('Bravo'),
      'convergence',
    )
    const late = connectClient(server, ws.deliverable.id, ws.observer.cookie)
    await late.synced()
    await waitFor(() => late.body.toString() === a.body.toString(), 'late joiner state')
    for (const c of [a, b, late]) c.destroy()
  })
})

describe('presence', () => {
  test('awareness shows the names the server knows, even when a client claims another name', async () => {
    const a = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    const b = connectClient(server, ws.deliverable.id, ws.editor2.cookie)
    await Promise.all([a.synced(), b.synced()])
    a.provider.awareness.setLocalStateField('user', { name: 'Mallory the Chair', color: '#000' })
    b.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
    const watcher = connectClient(server, ws.deliverable.id, ws.observer.cookie)
    await watcher.synced()
    const names = () =>
      [...watcher.provider.awareness.getStates().values()]
        .map((s) => (s as { user?: { name?: string } }).user?.name)
        .filter(Boolean)
        .sort()
    await waitFor(() => names().length >= 2, 'two presences')
    expect(names()).toEqual(['Ed Second', 'Eve Editor'])
    const eve = [...watcher.provider.awareness.getStates().values()].find(
      (s) => (s as { user?: { name?: string } }).user?.name === 'Eve Editor',
    ) as { user: { organization: string; color: string } }
    expect(eve.user.organization).toBe('ETRI')
    expect(eve.user.color).toMatch(/^#[0-9a-f]{6}$/)
    a.destroy()
    await waitFor(() => names().length === 1, 'presence removed on disconnect')
    expect(names()).toEqual(['Ed Second'])
    b.destroy()
    watcher.destroy()
  })

  test("a client cannot erase or overwrite another connection's presence", async () => {
    const a = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    const b = connectClient(server, ws.deliverable.id, ws.editor2.cookie)
    await Promise.all([a.synced(), b.synced()])
    a.provider.awareness.setLocalStateField('cursor', null)
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'b sees a')
    // b forges an update for a's clientID: state null (erase) with a higher clock.
    const { encodeAwarenessUpdate } = await import('y-protocols/awareness')
    const meta = b.provider.awareness.meta.get(a.doc.clientID)!
    b.provider.awareness.states.set(a.doc.clientID, { user: { name: 'Forged' } })
    b.provider.awareness.meta.set(a.doc.clientID, { clock: meta.clock + 5, lastUpdated: Date.now() })
    const forged = encodeAwarenessUpdate(b.provider.awareness, [a.doc.clientID])
    const { encodeAwareness } = await import('../../server/sync/wire.ts')
    b.provider.ws!.send(encodeAwareness(forged))
    const watcher = connectClient(server, ws.deliverable.id, ws.observer.cookie)
    await watcher.synced()
    await waitFor(() => watcher.provider.awareness.getStates().has(a.doc.clientID), 'watcher sees a')
    await new Promise((r) => setTimeout(r, 200))
    const state = watcher.provider.awareness.getStates().get(a.doc.clientID) as { user: { name: string } }
    expect(state.user.name).toBe('Eve Editor')
    for (const c of [a, b, watcher]) c.destroy()
  })
})
