/**
 * Hostile content through the API and the live document (issue part 6, Node side; the browser side is
 * test/browser/hostileContent.test.ts): every payload in every field is stored exactly as typed or refused with
 * 400, never a 500, and always answered as JSON that a browser will not sniff into HTML. Prototype pollution
 * through JSON bodies does nothing. Odd values in every route parameter, and in the sync path, are refused with
 * 400 or 404.
 */
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { clauseByTitle, firstParagraphText } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ROUTES, type Targets } from './support/authorization.ts'
import { recordFigures } from './support/figures.ts'
import { INVALID_PAYLOADS, ODD_IDS, XSS_PAYLOADS } from './support/payloads.ts'
import { openRaw, UpgradeStatus } from './support/rawSync.ts'
import { addClauses, connectAt, savedAll, type Workspace } from './support/workload.ts'

let server: TestServer
let ws: Workspace
let tried = 0
const ALL = [...XSS_PAYLOADS, ...INVALID_PAYLOADS]

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  await addClauses(
    server,
    ws.deliverable.id,
    ws.editor,
    ALL.map((_, i) => ({ id: `hostile${i}`, title: `Hostile ${i}`, text: 'Objectionable.' })),
  )
})
afterAll(async () => {
  await recordFigures('hostileContent', {
    payloadsTried: tried,
    payloads: ALL.length,
    oddIds: ODD_IDS.length,
  })
  await server?.stop()
})

const isRefusable = (payload: string) => INVALID_PAYLOADS.includes(payload)

/**
 * A request whose path goes out byte for byte: fetch and URL would resolve `..`, `.` and `%2e%2e` before sending,
 * so the server would never see them.
 */
function rawRequest(method: string, path: string, cookie: string, body?: unknown) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: { cookie, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => {
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body: parsed })
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** JSON, not sniffable: the answer can never be rendered as a page. */
function expectInertJson(answer: { status: number; headers: Headers }, where: string): void {
  expect(answer.status, where).not.toBe(500)
  expect(answer.headers.get('content-type'), where).toMatch(/^application\/json/)
  expect(answer.headers.get('x-content-type-options'), where).toBe('nosniff')
}

describe('payloads in every field are stored as text or refused', () => {
  test('user names and organizations', async () => {
    for (const [i, payload] of ALL.entries()) {
      const answer = await ws.admin.api.post('/api/users', {
        email: `hostile-${i}-${Date.now()}@example.org`,
        name: payload,
        organization: payload,
        password: 'a long enough password',
      })
      tried += 2
      expectInertJson(answer, payload)
      if (isRefusable(payload)) {
        expect(answer.status, payload.slice(0, 40)).toBe(400)
        continue
      }
      expect(answer.status, JSON.stringify(answer.body)).toBe(201)
      expect(answer.body.user).toMatchObject({ name: payload.trim(), organization: payload.trim() })
      const listed = (await ws.admin.api.get('/api/users')).body.users.find(
        (u: { id: string }) => u.id === answer.body.user.id,
      )
      expect(listed.name).toBe(payload.trim())
    }
  })

  test('group names and deliverable titles', async () => {
    for (const payload of ALL) {
      const group = await ws.admin.api.post('/api/groups', { name: payload, parentId: ws.fg.id })
      const deliverable = await ws.chair.api.post('/api/deliverables', {
        title: payload,
        type: 'terms',
        groupId: ws.wg.id,
      })
      tried += 2
      expectInertJson(group, payload)
      expectInertJson(deliverable, payload)
      if (isRefusable(payload)) {
        expect([group.status, deliverable.status]).toEqual([400, 400])
        continue
      }
      expect(group.body.group.name).toBe(payload.trim())
      expect(deliverable.body.deliverable.title).toBe(payload.trim())
      const read = await ws.chair.api.get(`/api/deliverables/${deliverable.body.deliverable.id}`)
      expect(read.body.deliverable.title).toBe(payload.trim())
    }
  })

  test('clause headings and text typed into the live document', async () => {
    const editor = connectAt(server, ws.deliverable.id, ws.editor)
    await editor.synced()
    editor.doc.transact(() => {
      for (const [i, payload] of ALL.entries()) {
        const clause = clauseByTitle(editor.body, `Hostile ${i}`)
        const heading = clause.get(0) as import('yjs').XmlElement
        ;(heading.get(0) as import('yjs').XmlText).insert(0, payload)
        firstParagraphText(clause).insert(0, payload)
        tried += 2
      }
    })
    await savedAll(editor)
    editor.destroy()
    const sections = (await ws.chair.api.get(`/api/deliverables/${ws.deliverable.id}`)).body.sections
    for (const [i, payload] of ALL.entries()) {
      const section = sections.find((s: { id: string }) => s.id === `hostile${i}`)
      expect(section.title).toBe(`${payload}Hostile ${i}`)
      expect(section.text).toBe(`${payload}Objectionable.`)
    }
  })

  test('objection notes and suggestions', async () => {
    for (const [i, payload] of ALL.entries()) {
      const path = `/api/deliverables/${ws.deliverable.id}/sections/hostile${i}/actions`
      expect((await ws.editor.api.post(path, { action: 'propose' })).status).toBe(200)
      const answer = await ws.participant.api.post(path, {
        action: 'object',
        note: payload,
        suggestion: payload,
      })
      tried += 2
      expectInertJson(answer, payload)
      if (payload.length > 5000) {
        expect(answer.status).toBe(400)
        continue
      }
      expect(answer.status, JSON.stringify(answer.body).slice(0, 200)).toBe(200)
      expect(answer.body.section.objections.at(-1)).toMatchObject({
        note: payload.trim(),
        suggestion: payload,
      })
      const history = await ws.observer.api.get(
        `/api/deliverables/${ws.deliverable.id}/sections/hostile${i}/history`,
      )
      expect(history.body.events.at(-1)).toMatchObject({ note: payload.trim(), suggestion: payload })
    }
  })

  test('prototype pollution through a JSON body does nothing', async () => {
    const polluted = [
      `{"email":"proto-a-${Date.now()}@example.org","name":"Proto","password":"long enough pw","__proto__":{"admin":true}}`,
      `{"email":"proto-b-${Date.now()}@example.org","name":"Proto","password":"long enough pw","constructor":{"prototype":{"admin":true}}}`,
    ]
    for (const rawBody of polluted) {
      const answer = await request(server.url, 'POST', '/api/users', undefined, {
        cookie: ws.admin.cookie,
        rawBody,
      })
      tried++
      expect([201, 400]).toContain(answer.status)
      if (answer.status === 201) expect(answer.body.user.admin).toBe(false)
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
    const role = await request(
      server.url,
      'PUT',
      `/api/deliverables/${ws.deliverable.id}/members/__proto__`,
      undefined,
      {
        cookie: ws.chair.cookie,
        rawBody: '{"role":"editor","__proto__":{"role":"chair"}}',
      },
    )
    expect(role.status).toBe(404)
  })

  test('a payload in a page path is never reflected: the app shell, or a JSON 404', async () => {
    for (const payload of XSS_PAYLOADS.slice(0, 8)) {
      const encoded = encodeURIComponent(payload)
      const page = await request(server.url, 'GET', `/d/${encoded}`)
      const api = await request(server.url, 'GET', `/api/${encoded}`, undefined, { cookie: ws.editor.cookie })
      tried += 2
      expect(String(page.body)).not.toContain(payload)
      expect(page.headers.get('content-security-policy') ?? '').toContain("script-src 'self'")
      expect(api.status).toBe(404)
      expect(JSON.stringify(api.body)).not.toContain(payload)
    }
  })
})

describe('odd ids in every route parameter', () => {
  test('each parameter of each route, replaced by an odd value: 400 or 404, never a server error', async () => {
    const sections = (await ws.chair.api.get(`/api/deliverables/${ws.deliverable.id}`)).body.sections
    const wrong: string[] = []
    const withParams = ROUTES.filter((r) => r.route.includes(':'))
    const meta = server.accord!.ctx.metadata
    for (const route of withParams) {
      const targets: Targets = {
        deliverable: meta.deliverable(ws.deliverable.id)!,
        group: meta.group(ws.wg.id)!,
        lookup: meta.groupLookup,
        parentGroupId: ws.fg.id,
        throwaway: ws.observer.user.id,
        draftSection: sections[0].id,
        section: sections[0].id,
        spareCookie: undefined,
        callerEmail: '',
        callerPassword: '',
      }
      const valid = route.path(targets)
      const values = [targets.deliverable.id, targets.group.id, targets.throwaway, targets.section]
      for (const value of values.filter((v) => valid.includes(`/${v}`))) {
        for (const odd of ODD_IDS) {
          const path = valid.replace(`/${value}`, `/${odd}`)
          // The most powerful caller of each route, so that the checks reach the id itself.
          const cookie = route.route.startsWith('/api/deliverables') ? ws.chair.cookie : ws.admin.cookie
          const answer = await rawRequest(route.method, path, cookie, route.body?.(targets))
          tried++
          if (![400, 404].includes(answer.status))
            wrong.push(`${route.method} ${path.slice(0, 120)}: ${answer.status}`)
          else if (typeof answer.body?.error?.message !== 'string')
            wrong.push(`${route.method} ${path}: no error body`)
          else if (/JSON/.test(answer.body.error.message))
            wrong.push(
              `${route.method} ${path.slice(0, 120)}: "${answer.body.error.message}" (nothing was sent as JSON)`,
            )
        }
      }
    }
    expect(wrong).toEqual([])
  })

  test('the sync path: 400 or 404 before any WebSocket exists', async () => {
    const wrong: string[] = []
    for (const odd of ODD_IDS) {
      tried++
      const status = await openRaw(server.wsUrl, odd, ws.editor.cookie, { hello: false }).then(
        (raw) => {
          raw.close()
          return 101
        },
        (error) => (error instanceof UpgradeStatus ? error.status : -1),
      )
      if (status !== 400 && status !== 404) wrong.push(`/sync/${odd.slice(0, 60)}: ${status}`)
    }
    expect(wrong).toEqual([])
  })
})
