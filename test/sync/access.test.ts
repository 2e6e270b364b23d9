import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { buildWorkspace, login } from '../support/factories.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  rawSocket,
  UpgradeRefused,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

async function refusedWith(promise: Promise<unknown>): Promise<number> {
  try {
    await promise
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status
    throw error
  }
  throw new Error('the upgrade was accepted')
}

describe('the upgrade refuses before any WebSocket exists', () => {
  test('without a session cookie: 401', async () => {
    expect(await refusedWith(rawSocket(server, ws.deliverable.id, undefined))).toBe(401)
  })

  test('with a revoked session: 401', async () => {
    const session = await login(server, ws.editor.user.email, ws.editor.password)
    expect((await session.api.post('/api/auth/logout')).status).toBe(204)
    expect(await refusedWith(rawSocket(server, ws.deliverable.id, session.cookie))).toBe(401)
  })

  test('from a foreign Origin: 403', async () => {
    expect(
      await refusedWith(rawSocket(server, ws.deliverable.id, ws.editor.cookie, 'https://evil.example')),
    ).toBe(403)
  })

  test('the server’s own Origin is accepted', async () => {
    const raw = await rawSocket(server, ws.deliverable.id, ws.editor.cookie, server.url)
    raw.socket.close()
  })

  test('an unknown deliverable, an invisible one and an odd id: 404', async () => {
    expect(await refusedWith(rawSocket(server, 'nosuchdeliverable', ws.editor.cookie))).toBe(404)
    expect(await refusedWith(rawSocket(server, ws.deliverable.id, ws.outsider.cookie))).toBe(404)
    expect(await refusedWith(rawSocket(server, '..%2F..%2Fetc', ws.editor.cookie))).toBe(404)
  })
})

describe('live sockets follow sessions and roles', () => {
  test('logout while connected closes the socket with 4401', async () => {
    const session = await login(server, ws.editor.user.email, ws.editor.password)
    const client = connectClient(server, ws.deliverable.id, session.cookie)
    await client.synced()
    await session.api.post('/api/auth/logout')
    await waitFor(() => client.closes.length > 0, 'socket closed')
    expect(client.closes[0]!.code).toBe(CLOSE_CODES.sessionEnded)
    client.destroy()
  })

  test('a lowered role downgrades the open socket at once: its next edit is refused', async () => {
    const { admin } = ws
    const user = await (async () => {
      const created = await admin.api.post('/api/users', {
        email: `demoted-${Date.now()}@example.org`,
        name: 'Demoted Dan',
        password: 'a long enough password',
      })
      return login(server, created.body.user.email, 'a long enough password')
    })()
    await ws.chair.api.put(`/api/deliverables/${ws.deliverable.id}/members/${user.user.id}`, {
      role: 'editor',
    })
    const client = connectClient(server, ws.deliverable.id, user.cookie, { accord: true })
    await client.synced()
    await waitFor(() => client.messages.some((m) => m.type === 'welcome'), 'welcome')
    await ws.chair.api.put(`/api/deliverables/${ws.deliverable.id}/members/${user.user.id}`, {
      role: 'observer',
    })
    await waitFor(() => client.messages.some((m) => m.type === 'access'), 'access message')
    expect(client.messages.find((m) => m.type === 'access')).toEqual({ type: 'access', canEdit: false })
    firstParagraphText(clauseByTitle(client.body, 'Scope')).insert(0, 'after demotion ')
    await waitFor(() => client.messages.some((m) => m.type === 'refused'), 'refusal')
    expect(client.messages.find((m) => m.type === 'refused')).toMatchObject({ reason: 'read-only' })
    client.destroy()
  })

  test('removing a user closes their sockets', async () => {
    const created = await ws.admin.api.post('/api/users', {
      email: `removed-${Date.now()}@example.org`,
      name: 'Removed Rita',
      password: 'a long enough password',
    })
    const rita = await login(server, created.body.user.email, 'a long enough password')
    await ws.chair.api.put(`/api/deliverables/${ws.deliverable.id}/members/${rita.user.id}`, {
      role: 'editor',
    })
    const client = connectClient(server, ws.deliverable.id, rita.cookie)
    await client.synced()
    expect((await ws.admin.api.delete(`/api/users/${rita.user.id}`)).status).toBe(204)
    await waitFor(() => client.closes.length > 0, 'socket closed')
    expect(client.closes[0]!.code).toBe(CLOSE_CODES.sessionEnded)
    expect((await rita.api.get('/api/me')).status).toBe(401)
    client.destroy()
  })
})
