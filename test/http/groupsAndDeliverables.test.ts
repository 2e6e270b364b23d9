import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace, createUser, setGroupRole } from '../support/factories.ts'
import { type ApiClient, client } from '../support/http.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>
let fgChair: Awaited<ReturnType<typeof createUser>>
type Who = 'admin' | 'fgChair' | 'chair' | 'editor' | 'participant' | 'observer' | 'outsider' | 'anonymous'
let as: Record<Who, ApiClient>

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  fgChair = await createUser(server, ws.admin, { name: 'Fiona FG Chair' })
  await setGroupRole(ws.admin, ws.fg.id, fgChair.user.id, 'chair')
  as = {
    admin: ws.admin.api,
    fgChair: fgChair.api,
    chair: ws.chair.api,
    editor: ws.editor.api,
    participant: ws.participant.api,
    observer: ws.observer.api,
    outsider: ws.outsider.api,
    anonymous: client(server.url),
  }
})
afterAll(async () => server.stop())

describe('POST /api/groups', () => {
  const expected: Record<Who, number> = {
    admin: 201,
    fgChair: 403,
    chair: 403,
    editor: 403,
    participant: 403,
    observer: 403,
    outsider: 403,
    anonymous: 401,
  }
  for (const [who, status] of Object.entries(expected) as [Who, number][]) {
    test(`${who}: ${status}`, async () => {
      expect((await as[who].post('/api/groups', { name: `WG by ${who}`, parentId: ws.fg.id })).status).toBe(
        status,
      )
    })
  }
  test('bad bodies are 400 with a message', async () => {
    const empty = await as.admin.post('/api/groups', { name: '' })
    expect(empty.status).toBe(400)
    expect(empty.body.error.message).toMatch(/name/)
    expect((await as.admin.post('/api/groups', { name: 'X', parentId: 'nosuchgroup' })).status).toBe(400)
    expect((await as.admin.post('/api/groups', 'not json', { rawBody: '{oops' })).status).toBe(400)
  })
})

describe('PUT /api/groups/:id/members/:userId', () => {
  const expected: Record<Who, number> = {
    admin: 200,
    fgChair: 200,
    chair: 200,
    editor: 403,
    participant: 403,
    observer: 403,
    outsider: 403,
    anonymous: 401,
  }
  for (const [who, status] of Object.entries(expected) as [Who, number][]) {
    test(`${who}: ${status}`, async () => {
      const target = ws.participant.user.id
      expect(
        (await as[who].put(`/api/groups/${ws.wg.id}/members/${target}`, { role: 'member' })).status,
      ).toBe(status)
    })
  }
  test('unknown group or user is 404; an unknown role is 400', async () => {
    expect(
      (await as.admin.put(`/api/groups/nosuch/members/${ws.editor.user.id}`, { role: 'member' })).status,
    ).toBe(404)
    expect((await as.admin.put(`/api/groups/${ws.wg.id}/members/nosuch`, { role: 'member' })).status).toBe(
      404,
    )
    expect(
      (await as.admin.put(`/api/groups/${ws.wg.id}/members/${ws.editor.user.id}`, { role: 'boss' })).status,
    ).toBe(400)
  })
})

describe('POST /api/deliverables', () => {
  const expected: Record<Who, number> = {
    admin: 201,
    fgChair: 403,
    chair: 201,
    editor: 403,
    participant: 403,
    observer: 403,
    outsider: 403,
    anonymous: 401,
  }
  for (const [who, status] of Object.entries(expected) as [Who, number][]) {
    test(`${who}: ${status}`, async () => {
      const response = await as[who].post('/api/deliverables', {
        title: `TR by ${who}`,
        type: 'roadmap',
        groupId: ws.wg.id,
      })
      expect(response.status).toBe(status)
    })
  }
  test('an unknown type is 400, an unknown group 404', async () => {
    expect(
      (await as.admin.post('/api/deliverables', { title: 'T', type: 'novel', groupId: ws.wg.id })).status,
    ).toBe(400)
    expect(
      (await as.admin.post('/api/deliverables', { title: 'T', type: 'terms', groupId: 'nosuch' })).status,
    ).toBe(404)
    expect((await as.admin.post('/api/deliverables', { type: 'terms', groupId: ws.wg.id })).status).toBe(400)
  })
  test('the new deliverable holds its type’s clause skeleton, numbered', async () => {
    const created = await as.chair.post('/api/deliverables', {
      title: 'Requirements',
      type: 'requirements',
      groupId: ws.wg.id,
    })
    const { body } = await as.chair.get(`/api/deliverables/${created.body.deliverable.id}`)
    const numbered = body.sections.map((s: { number: string; title: string }) =>
      `${s.number} ${s.title}`.trim(),
    )
    expect(numbered).toEqual([
      'Summary',
      'Keywords',
      '1 Scope',
      '2 References',
      '3 Definitions',
      '3.1 Terms defined elsewhere',
      '3.2 Terms defined in this Technical Specification',
      '4 Abbreviations and acronyms',
      '5 Conventions',
      '6 Overview',
      '7 Requirements',
      'Annex A Summary of requirements',
      'Bibliography',
    ])
    const references = body.sections.find((s: { number: string }) => s.number === '2')
    expect(references).toMatchObject({ level: 1, status: 'draft', text: 'None.', objections: [] })
    expect(references.hash).toMatch(/^sha256-[0-9a-f]{64}$/)
    expect(body.sections.find((s: { number: string }) => s.number === '3.2').text).toContain(
      'This Technical Specification defines the following terms:',
    )
  })
})

describe('PUT /api/deliverables/:id/members/:userId', () => {
  const expected: Record<Who, number> = {
    admin: 200,
    fgChair: 200,
    chair: 200,
    editor: 403,
    participant: 403,
    observer: 403,
    outsider: 404,
    anonymous: 401,
  }
  for (const [who, status] of Object.entries(expected) as [Who, number][]) {
    test(`${who}: ${status}`, async () => {
      const target = ws.observer.user.id
      const response = await as[who].put(`/api/deliverables/${ws.deliverable.id}/members/${target}`, {
        role: 'observer',
      })
      expect(response.status).toBe(status)
    })
  }
  test('bad role 400, unknown user or deliverable 404', async () => {
    const path = `/api/deliverables/${ws.deliverable.id}/members/${ws.observer.user.id}`
    expect((await as.chair.put(path, { role: 'chair' })).status).toBe(400)
    expect(
      (await as.chair.put(`/api/deliverables/${ws.deliverable.id}/members/nosuch`, { role: 'editor' }))
        .status,
    ).toBe(404)
    expect(
      (await as.chair.put(`/api/deliverables/nosuch/members/${ws.observer.user.id}`, { role: 'editor' }))
        .status,
    ).toBe(404)
  })
})

describe('who sees a deliverable', () => {
  const sees: Record<Who, number> = {
    admin: 200,
    fgChair: 200,
    chair: 200,
    editor: 200,
    participant: 200,
    observer: 200,
    outsider: 404,
    anonymous: 401,
  }
  for (const [who, status] of Object.entries(sees) as [Who, number][]) {
    test(`${who}: GET /api/deliverables/:id is ${status}, and the list ${status === 200 ? 'includes' : 'omits'} it`, async () => {
      expect((await as[who].get(`/api/deliverables/${ws.deliverable.id}`)).status).toBe(status)
      const list = await as[who].get('/api/deliverables')
      if (who === 'anonymous') return expect(list.status).toBe(401)
      const ids = list.body.deliverables.map((d: { id: string }) => d.id)
      expect(ids.includes(ws.deliverable.id)).toBe(status === 200)
    })
  }

  test('answers carry the caller’s abilities', async () => {
    const forEditor = (await as.editor.get(`/api/deliverables/${ws.deliverable.id}`)).body.deliverable
      .abilities
    expect(forEditor).toMatchObject({
      view: true,
      'edit-text': true,
      agree: false,
      propose: true,
      'manage-members': false,
    })
    const forObserver = (await as.observer.get(`/api/deliverables/${ws.deliverable.id}`)).body.deliverable
      .abilities
    expect(forObserver).toMatchObject({ view: true, 'edit-text': false, object: false })
    const forChair = (await as.chair.get(`/api/deliverables/${ws.deliverable.id}`)).body.deliverable.abilities
    expect(forChair).toMatchObject({ agree: true, reopen: true, 'manage-members': true })
  })

  test('GET a section: 200; unknown section or odd id 404', async () => {
    const { body } = await as.editor.get(`/api/deliverables/${ws.deliverable.id}`)
    const scope = body.sections.find((s: { title: string }) => s.title === 'Scope')
    const one = await as.editor.get(`/api/deliverables/${ws.deliverable.id}/sections/${scope.id}`)
    expect(one.status).toBe(200)
    expect(one.body.section).toMatchObject({ id: scope.id, number: '1', title: 'Scope', status: 'draft' })
    expect((await as.editor.get(`/api/deliverables/${ws.deliverable.id}/sections/nosuch`)).status).toBe(404)
    expect(
      (await as.editor.get(`/api/deliverables/${ws.deliverable.id}/sections/..%2f..%2fmetadata.json`)).status,
    ).toBe(404)
    expect(
      (await as.outsider.get(`/api/deliverables/${ws.deliverable.id}/sections/${scope.id}`)).status,
    ).toBe(404)
  })

  test('unknown API routes answer 404 JSON', async () => {
    const response = await as.editor.get('/api/nothing-here')
    expect(response.status).toBe(404)
    expect(response.body.error.code).toBe('not_found')
  })
})
