import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createAdmin, createUser, login } from '../support/factories.ts'
import { client, request } from '../support/http.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.stop())

describe('first-run setup', () => {
  test('GET /api/health answers ok', async () => {
    const response = await request(server.url, 'GET', '/api/health')
    expect(response).toMatchObject({ status: 200, body: { ok: true } })
  })

  test('setup is needed until the first administrator exists; a wrong token is 403, bad input 400', async () => {
    expect((await request(server.url, 'GET', '/api/setup')).body).toEqual({ needed: true })
    const body = { token: 'wrong', email: 'first@example.org', name: 'First', password: 'long enough pw' }
    expect((await request(server.url, 'POST', '/api/setup', body)).status).toBe(403)
    const bad = await request(server.url, 'POST', '/api/setup', {
      ...body,
      token: server.setupToken,
      email: 'nope',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/email/)
    const short = await request(server.url, 'POST', '/api/setup', {
      ...body,
      token: server.setupToken,
      password: 'short',
    })
    expect(short.status).toBe(400)
    expect((await request(server.url, 'GET', '/api/setup')).body).toEqual({ needed: true })
  })

  test('the setup token creates the first administrator with a session; a second setup is 409', async () => {
    const admin = await createAdmin(server, { email: 'chief@example.org' })
    expect(admin.user).toMatchObject({ email: 'chief@example.org', admin: true, organization: 'TSB' })
    expect(admin.user).not.toHaveProperty('passwordHash')
    expect((await admin.api.get('/api/me')).body.user.email).toBe('chief@example.org')
    const again = await request(server.url, 'POST', '/api/setup', {
      token: server.setupToken,
      email: 'second@example.org',
      name: 'Second',
      password: 'long enough pw',
    })
    expect(again.status).toBe(409)
    expect((await request(server.url, 'GET', '/api/setup')).body).toEqual({ needed: false })
  })
})

describe('sessions', () => {
  test('login sets an HttpOnly, SameSite=Lax cookie; wrong credentials are 401', async () => {
    const response = await request(server.url, 'POST', '/api/auth/login', {
      email: 'chief@example.org',
      password: 'correct horse battery',
    })
    expect(response.status).toBe(200)
    const setCookie = response.headers.getSetCookie().join(';')
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    expect(
      (
        await request(server.url, 'POST', '/api/auth/login', {
          email: 'chief@example.org',
          password: 'wrong password',
        })
      ).status,
    ).toBe(401)
    expect(
      (
        await request(server.url, 'POST', '/api/auth/login', {
          email: 'nobody@example.org',
          password: 'whatever it is',
        })
      ).status,
    ).toBe(401)
    expect((await request(server.url, 'POST', '/api/auth/login', { email: 42 })).status).toBe(400)
  })

  test('no session, or a forged cookie, is 401 on /api/me', async () => {
    expect((await request(server.url, 'GET', '/api/me')).status).toBe(401)
    expect(
      (await request(server.url, 'GET', '/api/me', undefined, { cookie: 'accord_session=forged' })).status,
    ).toBe(401)
  })

  test('logout revokes the session on the server: the old cookie no longer works', async () => {
    const session = await login(server, 'chief@example.org', 'correct horse battery')
    expect((await session.api.post('/api/auth/logout')).status).toBe(204)
    expect((await session.api.get('/api/me')).status).toBe(401)
  })

  test('login issues a new session and ends the presented one (no session fixation)', async () => {
    const first = await login(server, 'chief@example.org', 'correct horse battery')
    const second = await request(
      server.url,
      'POST',
      '/api/auth/login',
      { email: 'chief@example.org', password: 'correct horse battery' },
      { cookie: first.cookie },
    )
    expect(second.cookie).toBeDefined()
    expect(second.cookie).not.toBe(first.cookie)
    expect((await first.api.get('/api/me')).status).toBe(401)
    expect((await client(server.url, second.cookie).get('/api/me')).status).toBe(200)
  })

  test('a state-changing request from a foreign Origin is 403', async () => {
    const response = await request(
      server.url,
      'POST',
      '/api/auth/login',
      { email: 'chief@example.org', password: 'correct horse battery' },
      { origin: 'https://evil.example' },
    )
    expect(response.status).toBe(403)
  })
})

describe('user administration', () => {
  test('administrators create users (201), duplicates are 409, bad bodies 400; others get 403, anonymous 401', async () => {
    const admin = await login(server, 'chief@example.org', 'correct horse battery')
    const created = await admin.api.post('/api/users', {
      email: 'new@example.org',
      name: 'New Person',
      password: 'long enough pw',
      organization: 'KT',
    })
    expect(created.status).toBe(201)
    expect(created.body.user).toMatchObject({
      email: 'new@example.org',
      name: 'New Person',
      organization: 'KT',
      admin: false,
    })
    expect(JSON.stringify(created.body)).not.toMatch(/password/i)
    expect(
      (
        await admin.api.post('/api/users', {
          email: 'NEW@example.org',
          name: 'Dup',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(409)
    expect(
      (await admin.api.post('/api/users', { email: 'x@example.org', name: '', password: 'long enough pw' }))
        .status,
    ).toBe(400)
    const member = await login(server, 'new@example.org', 'long enough pw')
    expect(
      (await member.api.post('/api/users', { email: 'y@example.org', name: 'Y', password: 'long enough pw' }))
        .status,
    ).toBe(403)
    expect(
      (
        await request(server.url, 'POST', '/api/users', {
          email: 'z@example.org',
          name: 'Z',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(401)
  })

  test('a removed user can no longer log in', async () => {
    const admin = await login(server, 'chief@example.org', 'correct horse battery')
    const user = await createUser(server, admin)
    expect((await admin.api.delete(`/api/users/${user.user.id}`)).status).toBe(204)
    expect((await user.api.get('/api/me')).status).toBe(401)
    expect(
      (
        await request(server.url, 'POST', '/api/auth/login', {
          email: user.user.email,
          password: user.password,
        })
      ).status,
    ).toBe(401)
  })
})

describe('the login limit', () => {
  test('too many attempts for one account are refused with 429, even with the right password', async () => {
    const limited = await startTestServer({
      env: { LOGIN_LIMIT_PER_ACCOUNT: '3', LOGIN_LIMIT_PER_ADDRESS: '100' },
    })
    try {
      await createAdmin(limited, { email: 'target@example.org', password: 'the real password' })
      const attempt = (password: string) =>
        request(limited.url, 'POST', '/api/auth/login', { email: 'target@example.org', password })
      expect((await attempt('guess one')).status).toBe(401)
      expect((await attempt('guess two')).status).toBe(401)
      expect((await attempt('guess three')).status).toBe(401)
      const blocked = await attempt('the real password')
      expect(blocked.status).toBe(429)
      expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/)
    } finally {
      await limited.stop()
    }
  })

  test('too many attempts from one address are refused with 429 across accounts', async () => {
    const limited = await startTestServer({
      env: { LOGIN_LIMIT_PER_ACCOUNT: '100', LOGIN_LIMIT_PER_ADDRESS: '4' },
    })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await request(limited.url, 'POST', '/api/auth/login', {
              email: `u${i}@example.org`,
              password: 'whatever pw',
            })
          ).status,
        )
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401])
      expect(statuses.slice(4)).toEqual([429, 429])
    } finally {
      await limited.stop()
    }
  })
})
