/**
 * The Origin check (API.md "Conventions") compares with the origins the server knows for itself: PUBLIC_ORIGIN
 * and the address it listens at. The Host header is the client's to write, so it decides nothing: a page on
 * http://evil.example that reached us through DNS rebinding sends Origin and Host both naming evil.example.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { rawStatus, upgradeHeaders } from './rawHttp.ts'

const EVIL = 'http://evil.example'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>
beforeAll(async () => {
  server = await startTestServer({ env: { PUBLIC_ORIGIN: 'https://accord.example.org/' } })
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

const login = (headers: Record<string, string>) =>
  rawStatus(server.port, {
    method: 'POST',
    path: '/api/auth/login',
    headers,
    body: { email: ws.editor.user.email, password: ws.editor.password },
  })

const upgrade = (headers: Record<string, string>) =>
  rawStatus(server.port, {
    method: 'GET',
    path: `/sync/${ws.deliverable.id}`,
    headers: upgradeHeaders({ cookie: ws.editor.cookie, ...headers }),
  })

describe('a state-changing request', () => {
  test('whose Origin and Host both name another site is 403 (DNS rebinding)', async () => {
    expect(await login({ origin: EVIL, host: 'evil.example' })).toBe(403)
    expect(await login({ origin: `${EVIL}:${server.port}`, host: `evil.example:${server.port}` })).toBe(403)
  })

  test('from the address the server listens at, or localhost, or PUBLIC_ORIGIN, is served', async () => {
    const host = `127.0.0.1:${server.port}`
    expect(await login({ origin: server.url, host })).toBe(200)
    expect(await login({ origin: `http://localhost:${server.port}`, host })).toBe(200)
    expect(await login({ origin: 'https://accord.example.org', host: 'accord.example.org' })).toBe(200)
    expect(await login({ host })).toBe(200)
  })

  test('from another port, scheme or PUBLIC_ORIGIN look-alike is 403, whatever the Host says', async () => {
    for (const origin of [
      `http://127.0.0.1:${server.port + 1}`,
      `https://127.0.0.1:${server.port}`,
      'http://accord.example.org',
      'https://accord.example.org.evil.example',
      'null',
    ])
      expect(await login({ origin, host: new URL(origin === 'null' ? EVIL : origin).host }), origin).toBe(403)
  })
})

describe('the WebSocket upgrade', () => {
  test('whose Origin and Host both name another site is 403', async () => {
    expect(await upgrade({ origin: EVIL, host: 'evil.example' })).toBe(403)
  })

  test('from the server’s own origin, localhost or PUBLIC_ORIGIN is accepted', async () => {
    const host = `127.0.0.1:${server.port}`
    expect(await upgrade({ origin: server.url, host })).toBe(101)
    expect(await upgrade({ origin: `http://localhost:${server.port}`, host })).toBe(101)
    expect(await upgrade({ origin: 'https://accord.example.org', host: 'accord.example.org' })).toBe(101)
  })
})

test('first-run setup is checked too: a rebinding page cannot create the administrator', async () => {
  const fresh = await startTestServer()
  try {
    const setup = (headers: Record<string, string>) =>
      rawStatus(fresh.port, {
        method: 'POST',
        path: '/api/setup',
        headers,
        body: {
          token: fresh.setupToken,
          email: 'first@example.org',
          name: 'First',
          password: 'long enough pw',
        },
      })
    expect(await setup({ origin: EVIL, host: 'evil.example' })).toBe(403)
    expect(await setup({ origin: fresh.url, host: `127.0.0.1:${fresh.port}` })).toBe(201)
  } finally {
    await fresh.stop()
  }
})

test('with PORT=0 the own origin carries the port actually bound', async () => {
  const anyPort = await startTestServer({ config: { port: 0 } })
  try {
    const address = anyPort.accord!.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    expect(port).toBeGreaterThan(0)
    const setup = (origin: string) =>
      rawStatus(port, {
        method: 'POST',
        path: '/api/setup',
        headers: { origin, host: `127.0.0.1:${port}` },
        body: {
          token: anyPort.setupToken,
          email: 'first@example.org',
          name: 'First',
          password: 'long enough pw',
        },
      })
    expect(await setup('http://127.0.0.1:0')).toBe(403)
    expect(await setup(`http://127.0.0.1:${port}`)).toBe(201)
  } finally {
    await anyPort.stop()
  }
})
