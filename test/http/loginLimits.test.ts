/**
 * The login limit counts the address a request really came from (X-Forwarded-For only with TRUST_PROXY), and a
 * guesser cannot lock the rightful user out: failures count per account and address, with a slower ceiling per
 * account over all addresses that only many addresses reach.
 */
import { describe, expect, test } from 'vitest'
import { createAdmin } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

async function withServer(env: Record<string, string>, run: (server: TestServer) => Promise<void>) {
  const server = await startTestServer({ env })
  try {
    await run(server)
  } finally {
    await server.stop()
  }
}

const login = (server: TestServer, email: string, password: string, forwardedFor?: string) =>
  request(
    server.url,
    'POST',
    '/api/auth/login',
    { email, password },
    forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {},
  )

describe('X-Forwarded-For', () => {
  test('is ignored by default: a new one on every attempt does not escape the per-address limit', async () => {
    await withServer({ LOGIN_LIMIT_PER_ADDRESS: '100' }, async (server) => {
      const statuses: number[] = []
      for (let i = 0; i < 110; i++)
        statuses.push(
          (await login(server, `u${i}@example.org`, 'whatever pw', `198.51.100.${i % 250}`)).status,
        )
      expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true)
      expect(statuses.slice(100)).toEqual(Array(10).fill(429))
    })
  })

  test('is the address with TRUST_PROXY=loopback (behind a local reverse proxy)', async () => {
    await withServer({ TRUST_PROXY: 'loopback', LOGIN_LIMIT_PER_ADDRESS: '2' }, async (server) => {
      const from = async (address: string) =>
        (await login(server, 'x@example.org', 'wrong pw', address)).status
      expect([await from('203.0.113.1'), await from('203.0.113.1'), await from('203.0.113.1')]).toEqual([
        401, 401, 429,
      ])
      expect(await from('203.0.113.2')).toBe(401)
    })
  })
})

describe('account lock-out', () => {
  const env = {
    TRUST_PROXY: 'loopback',
    LOGIN_LIMIT_PER_ACCOUNT: '3',
    LOGIN_LIMIT_PER_ACCOUNT_GLOBAL: '8',
    LOGIN_LIMIT_PER_ADDRESS: '100',
  }
  const email = 'target@example.org'
  const password = 'the real password'
  const attacker = '203.0.113.66'
  const user = '198.51.100.7'

  test('a guesser spends only their own address: the user, from theirs, still logs in', async () => {
    await withServer(env, async (server) => {
      await createAdmin(server, { email, password })
      const guesses: number[] = []
      for (let i = 0; i < 25; i++) guesses.push((await login(server, email, `guess ${i}`, attacker)).status)
      expect(guesses.slice(0, 3)).toEqual([401, 401, 401])
      expect(guesses.slice(3)).toEqual(Array(22).fill(429))
      const blocked = await login(server, email, password, attacker)
      expect(blocked.status).toBe(429)
      expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/)
      // 25 refused guesses from one address, and the account-wide ceiling (8) is not spent by them.
      expect((await login(server, email, password, user)).status).toBe(200)
      expect((await login(server, email, password, '192.0.2.9')).status).toBe(200)
    })
  })

  test('the account-wide ceiling stops guessing from many addresses, for everyone', async () => {
    await withServer(env, async (server) => {
      await createAdmin(server, { email, password })
      const statuses: number[] = []
      for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
        for (let i = 0; i < 3; i++) statuses.push((await login(server, email, `guess ${i}`, address)).status)
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429])
      expect((await login(server, email, password, user)).status).toBe(429)
    })
  })

  test('a success takes back only its own attempt from the account-wide count', async () => {
    await withServer(env, async (server) => {
      await createAdmin(server, { email, password })
      for (let i = 0; i < 10; i++) expect((await login(server, email, password, user)).status).toBe(200)
      const statuses: number[] = []
      for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
        for (let i = 0; i < 3; i++) statuses.push((await login(server, email, `guess ${i}`, address)).status)
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429])
    })
  })
})
