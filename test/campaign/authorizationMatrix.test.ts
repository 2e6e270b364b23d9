/**
 * The authorization matrix (issue part 5): every HTTP route and every WebSocket message type, for every role
 * (administrator, group chair, parent-group chair, editor, participant, observer, member of another group, no
 * session, revoked session), against the answer the shared policy owes (one table: support/authorization.ts);
 * every comment and suggestion route and the `annotations` message (support/annotationMatrix.ts, issue 24); then
 * CSRF (a foreign Origin on every state-changing route and on the upgrade) and session fixation.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { deliverableAbilities, groupAbilities, mayOnDeliverable } from '../../shared/domain/policy.ts'
import type { User } from '../../shared/domain/types.ts'
import { MESSAGE_AWARENESS } from '../../shared/protocol/messages.ts'
import {
  buildWorkspace,
  createGroup,
  createUser,
  login,
  type Session,
  setGroupRole,
} from '../support/factories.ts'
import { client, request } from '../support/http.ts'
import { clauseByTitle, firstParagraphText } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ANNOTATION_ROWS } from './support/annotationAuthorization.ts'
import { annotationMatrix } from './support/annotationMatrix.ts'
import {
  expectedStatus,
  isStateChanging,
  ROLES,
  ROUTES,
  type Role,
  type RouteCase,
  type Sessions,
  type Targets,
} from './support/authorization.ts'
import { recordFigures } from './support/figures.ts'
import { type Outcome, openRaw, UpgradeStatus, updateFrame } from './support/rawSync.ts'
import { bodyOf, syncPayload, syncStep1Frame } from './support/serverDoc.ts'
import { addClauses, type Workspace } from './support/workload.ts'

let server: TestServer
let ws: Workspace
let sessions: Sessions
const cells = { http: 0, socket: 0, annotation: 0, csrf: 0, fixation: 0 }
let drafts: string[] = []

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  const parentChair = await createUser(server, ws.admin, { name: 'Paul Parent-Chair' })
  await setGroupRole(ws.admin, ws.fg.id, parentChair.user.id, 'chair')
  const other = await createGroup(ws.admin, 'Another FG')
  await setGroupRole(ws.admin, other.id, ws.outsider.user.id, 'member')
  const revoked = await login(server, ws.editor.user.email, ws.editor.password)
  expect((await revoked.api.post('/api/auth/logout')).status).toBe(204)
  sessions = {
    admin: ws.admin,
    chair: ws.chair,
    parentChair,
    editor: ws.editor,
    participant: ws.participant,
    observer: ws.observer,
    outsider: ws.outsider,
    anonymous: null,
    revoked,
  }
  drafts = ROLES.map((_, i) => `draft${i}`)
  await addClauses(
    server,
    ws.deliverable.id,
    ws.editor,
    drafts.map((id, i) => ({ id, title: `Draft ${i}`, text: 'x' })),
  )
})

afterAll(async () => {
  await recordFigures('authorizationMatrix', {
    matrixCellsChecked: cells.http + cells.socket + cells.annotation + cells.csrf + cells.fixation,
    httpCells: cells.http,
    socketCells: cells.socket,
    annotationCells: cells.annotation,
    annotationRoutes: ANNOTATION_ROWS.length,
    csrfCells: cells.csrf,
    fixationChecks: cells.fixation,
    routes: ROUTES.length,
    roles: ROLES.length,
  })
  await server?.stop()
})

const meta = () => server.accord!.ctx.metadata
const liveUser = (role: Role): User | null => {
  if (role === 'anonymous' || role === 'revoked') return null
  return meta().user(sessions[role].user.id) ?? null
}

async function targetsFor(route: RouteCase, role: Role, index: number): Promise<Targets> {
  const session = sessions[role]
  const needs = new Set(route.needs ?? [])
  let throwaway = 'nobody'
  if (needs.has('throwaway'))
    throwaway = (await createUser(server, ws.admin, { name: 'Tom Throwaway' })).user.id
  let spareCookie: string | undefined
  if (needs.has('spareSession') && session)
    spareCookie =
      role === 'revoked' ? session.cookie : (await login(server, session.user.email, session.password)).cookie
  const sections = (await ws.chair.api.get(`/api/deliverables/${ws.deliverable.id}`)).body.sections
  return {
    deliverable: meta().deliverable(ws.deliverable.id)!,
    group: meta().group(ws.wg.id)!,
    lookup: meta().groupLookup,
    parentGroupId: ws.fg.id,
    throwaway,
    draftSection: drafts[index]!,
    section: sections[0].id,
    spareCookie,
    callerEmail: session?.user.email ?? 'nobody@example.org',
    callerPassword: session?.password ?? 'not a password at all',
  }
}

describe('every HTTP route, for every role', () => {
  for (const route of ROUTES) {
    test(`${route.method} ${route.route}`, async () => {
      const wrong: string[] = []
      for (const [index, role] of ROLES.entries()) {
        const t = await targetsFor(route, role, index)
        const user = liveUser(role)
        const expected = expectedStatus(route, user, t, role !== 'anonymous')
        const cookie = route.presentsSpare ? t.spareCookie : sessions[role]?.cookie
        const answer = await request(server.url, route.method, route.path(t), route.body?.(t), { cookie })
        cells.http++
        if (answer.status !== expected)
          wrong.push(
            `${role}: ${answer.status}, the policy says ${expected} (${JSON.stringify(answer.body).slice(0, 160)})`,
          )
        if (answer.status >= 400 && typeof answer.body?.error?.code !== 'string')
          wrong.push(`${role}: ${answer.status} without an error body`)
        // Answers carry abilities from the same policy.
        if (route.route === '/api/deliverables/:id' && answer.status === 200 && user)
          if (
            JSON.stringify(answer.body.deliverable.abilities) !==
            JSON.stringify(deliverableAbilities(user, t.deliverable, t.lookup))
          )
            wrong.push(`${role}: abilities ${JSON.stringify(answer.body.deliverable.abilities)}`)
        if (route.route === '/api/groups' && answer.status === 200 && user)
          for (const group of answer.body.groups)
            if (
              JSON.stringify(group.abilities) !==
              JSON.stringify(groupAbilities(user, meta().group(group.id)!, t.lookup))
            )
              wrong.push(`${role}: group abilities ${JSON.stringify(group.abilities)}`)
      }
      expect(wrong).toEqual([])
    })
  }
})

const SOCKET_MESSAGES = [
  'sync-step-1',
  'sync-step-2',
  'update',
  'update-without-hello',
  'awareness',
  'query-awareness',
  'hello',
  'auth',
] as const

/** An update that types into a draft clause of the present document. */
function typingUpdate(): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server.accord!.ctx.hub.loaded(ws.deliverable.id)!.doc))
  const before = Y.encodeStateVector(replica)
  firstParagraphText(clauseByTitle(bodyOf(replica), 'Draft 0')).insert(0, 'typed ')
  return Y.encodeStateAsUpdate(replica, before)
}

function awarenessFrame(clientId: number): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, 1)
  encoding.writeVarString(
    inner,
    JSON.stringify({ cursor: { anchor: 1 }, user: { name: 'Forged', id: 'admin' } }),
  )
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
  return encoding.toUint8Array(encoder)
}

describe('every WebSocket message type, for every role', () => {
  test('the upgrade, then each message type, answered as the policy says', async () => {
    const wrong: string[] = []
    const id = ws.deliverable.id
    for (const role of ROLES) {
      const user = liveUser(role)
      const deliverable = meta().deliverable(id)!
      const mayView = !!user && mayOnDeliverable(user, 'view', deliverable, meta().groupLookup)
      const mayEdit = !!user && mayOnDeliverable(user, 'edit-text', deliverable, meta().groupLookup)
      const upgrade = await openRaw(server.wsUrl, id, sessions[role]?.cookie, { hello: false }).then(
        (raw) => {
          raw.close()
          return 101
        },
        (error) => (error instanceof UpgradeStatus ? error.status : -1),
      )
      cells.socket++
      const expectedUpgrade = !user ? 401 : mayView ? 101 : 404
      if (upgrade !== expectedUpgrade)
        wrong.push(`${role}: upgrade ${upgrade}, the policy says ${expectedUpgrade}`)
      if (upgrade !== 101) continue
      for (const kind of SOCKET_MESSAGES) {
        const hello = kind !== 'update-without-hello'
        const raw = await openRaw(server.wsUrl, id, sessions[role]!.cookie, { hello })
        const clientId = 1_000_000 + Math.floor(Math.random() * 1e6)
        let frame: Uint8Array
        if (kind === 'sync-step-1') frame = syncStep1Frame()
        else if (kind === 'sync-step-2') frame = updateFrame(typingUpdate(), 'step2')
        else if (kind === 'update' || kind === 'update-without-hello') frame = updateFrame(typingUpdate())
        else if (kind === 'awareness') frame = awarenessFrame(clientId)
        else if (kind === 'query-awareness') frame = Uint8Array.from([3])
        else if (kind === 'auth') frame = Uint8Array.from([2, 0])
        else frame = Uint8Array.from([]) // hello was sent on open
        const received = raw.received.length
        const outcome: Outcome =
          kind === 'hello'
            ? { kind: 'handled', saved: false }
            : await raw.send(frame, { awaitSaved: (kind === 'sync-step-2' || kind === 'update') && mayEdit })
        cells.socket++
        const problem = (text: string) => wrong.push(`${role} ${kind}: ${text} (${JSON.stringify(outcome)})`)
        const after = raw.received.slice(received)
        if (kind === 'sync-step-1' && !after.some((f) => syncPayload(f, 1))) problem('no sync step 2')
        if (kind === 'sync-step-2' || kind === 'update') {
          if (mayEdit && !(outcome.kind === 'handled' && outcome.saved))
            problem('an editor’s update not saved')
          if (!mayEdit && !(outcome.kind === 'refused' && outcome.reason === 'read-only'))
            problem('not refused as read-only')
        }
        if (kind === 'update-without-hello') {
          if (mayEdit && outcome.kind !== 'handled') problem('an editor’s update not applied')
          if (!mayEdit && !(outcome.kind === 'closed' && outcome.code === 4405))
            problem('a reader not closed with 4405')
        }
        if (kind === 'awareness') {
          const state = server.accord!.ctx.hub.loaded(id)!.awareness.getStates().get(clientId) as
            | { user?: { id?: string; name?: string } }
            | undefined
          if (state?.user?.id !== user!.id || state.user.name !== user!.name)
            problem(`presence shows ${JSON.stringify(state?.user)}`)
        }
        if (kind === 'query-awareness' && !after.some((f) => f[0] === MESSAGE_AWARENESS))
          problem('no awareness answer')
        if (kind === 'hello') {
          const welcome = raw.messages().find((m) => m.type === 'welcome')
          if (welcome?.type !== 'welcome' || welcome.canEdit !== mayEdit || welcome.userId !== user!.id)
            problem(`welcome ${JSON.stringify(welcome)}`)
        }
        if (kind === 'auth' && outcome.kind !== 'handled') problem('the auth message was not ignored')
        raw.close()
      }
    }
    expect(wrong).toEqual([])
  })
})

annotationMatrix(() => ({
  server,
  ws,
  sessions,
  liveUser,
  count: (kind) => {
    cells[kind]++
  },
}))

describe('CSRF: a foreign Origin is refused', () => {
  const origins = () => [
    'https://evil.example',
    'null',
    `http://127.0.0.1:${server.port + 1}`,
    `http://127.0.0.1:${server.port}.evil.example`,
    `ws://127.0.0.1:${server.port}`,
  ]

  test('on every state-changing route: 403, and nothing changes', async () => {
    const before = JSON.stringify(meta().data)
    const wrong: string[] = []
    for (const route of ROUTES.filter(isStateChanging)) {
      const t = await targetsFor({ ...route, needs: [] }, 'admin', 0)
      for (const origin of origins()) {
        const answer = await request(server.url, route.method, route.path(t), route.body?.(t), {
          cookie: ws.admin.cookie,
          origin,
        })
        cells.csrf++
        if (answer.status !== 403)
          wrong.push(`${route.method} ${route.route} from ${origin}: ${answer.status}`)
      }
    }
    expect(wrong).toEqual([])
    expect(JSON.stringify(meta().data)).toBe(before)
    // The server's own origin passes.
    const own = await client(server.url, ws.admin.cookie).post(
      '/api/groups',
      { name: 'Own origin WG', parentId: ws.fg.id },
      { origin: server.url },
    )
    expect(own.status).toBe(201)
  })

  test('on the WebSocket upgrade: 403', async () => {
    for (const origin of origins()) {
      await expect(openRaw(server.wsUrl, ws.deliverable.id, ws.editor.cookie, { origin })).rejects.toEqual(
        new UpgradeStatus(403),
      )
      cells.csrf++
    }
  })
})

describe('session fixation', () => {
  const attempt = (cookie?: string) =>
    request(
      server.url,
      'POST',
      '/api/auth/login',
      { email: ws.editor.user.email, password: ws.editor.password },
      { cookie },
    )

  test('a token the server never issued does not become a session', async () => {
    const planted = 'accord_session=attacker-chosen-token-0123456789abcdef'
    const answer = await attempt(planted)
    expect(answer.status).toBe(200)
    expect(answer.cookie).toBeDefined()
    expect(answer.cookie).not.toBe(planted)
    expect((await request(server.url, 'GET', '/api/me', undefined, { cookie: planted })).status).toBe(401)
    cells.fixation += 2
  })

  test('an attacker’s own session planted in the victim’s browser ends when the victim logs in', async () => {
    const attacker = await login(server, ws.outsider.user.email, ws.outsider.password)
    const answer = await attempt(attacker.cookie)
    expect(answer.cookie).not.toBe(attacker.cookie)
    const me = await request(server.url, 'GET', '/api/me', undefined, { cookie: attacker.cookie })
    // Never the victim, and not even the attacker any more.
    expect(me.status).toBe(401)
    expect(
      (await request(server.url, 'GET', '/api/me', undefined, { cookie: answer.cookie })).body.user.id,
    ).toBe(ws.editor.user.id)
    cells.fixation += 2
  })

  test('tokens are fresh, long and never in a body; the cookie is HttpOnly, SameSite=Lax, Path=/', async () => {
    const tokens = new Set<string>()
    for (let n = 0; n < 10; n++) {
      const answer = await attempt()
      const header = answer.headers.getSetCookie().find((c) => c.startsWith('accord_session='))!
      expect(header).toMatch(/HttpOnly/i)
      expect(header).toMatch(/SameSite=Lax/i)
      expect(header).toMatch(/Path=\//)
      const token = answer.cookie!.slice('accord_session='.length)
      expect(token.length).toBeGreaterThanOrEqual(32)
      expect(JSON.stringify(answer.body)).not.toContain(token)
      tokens.add(token)
      cells.fixation++
    }
    expect(tokens.size).toBe(10)
  })

  test('after logout the cookie is cleared and dead, on HTTP and on the socket', async () => {
    const session: Session = await login(server, ws.editor.user.email, ws.editor.password)
    const out = await request(server.url, 'POST', '/api/auth/logout', undefined, { cookie: session.cookie })
    expect(out.headers.getSetCookie().join(';')).toMatch(/accord_session=;.*Expires=Thu, 01 Jan 1970/i)
    expect((await request(server.url, 'GET', '/api/me', undefined, { cookie: session.cookie })).status).toBe(
      401,
    )
    await expect(openRaw(server.wsUrl, ws.deliverable.id, session.cookie)).rejects.toEqual(
      new UpgradeStatus(401),
    )
    cells.fixation += 3
  })
})
