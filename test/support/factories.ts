/** Test factories: any state in one line, made through the real HTTP API. */
import { expect } from 'vitest'
import type { DeliverableRole, DeliverableType, GroupRole } from '../../shared/domain/types.ts'
import { type ApiClient, client, request } from './http.ts'
import type { TestServer } from './testServer.ts'

export interface Session {
  user: { id: string; email: string; name: string; organization: string; admin: boolean }
  cookie: string
  api: ApiClient
  password: string
}

let counter = 0
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`

export async function createAdmin(
  server: TestServer,
  overrides: { email?: string; password?: string } = {},
): Promise<Session> {
  const password = overrides.password ?? 'correct horse battery'
  const email = overrides.email ?? `admin-${unique()}@example.org`
  const response = await request(server.url, 'POST', '/api/setup', {
    token: server.setupToken,
    email,
    name: 'Ada Admin',
    password,
    organization: 'TSB',
  })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return {
    user: response.body.user,
    cookie: response.cookie!,
    api: client(server.url, response.cookie),
    password,
  }
}

export async function login(server: TestServer, email: string, password: string): Promise<Session> {
  const response = await request(server.url, 'POST', '/api/auth/login', { email, password })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return {
    user: response.body.user,
    cookie: response.cookie!,
    api: client(server.url, response.cookie),
    password,
  }
}

export async function createUser(
  server: TestServer,
  admin: Session,
  overrides: { name?: string; organization?: string; admin?: boolean; email?: string } = {},
): Promise<Session> {
  const password = 'a long enough password'
  const email = overrides.email ?? `user-${unique()}@example.org`
  const response = await admin.api.post('/api/users', {
    email,
    name: overrides.name ?? `User ${unique()}`,
    password,
    organization: overrides.organization ?? 'Example Org',
    admin: overrides.admin ?? false,
  })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return login(server, email, password)
}

export async function createGroup(admin: Session, name = `FG ${unique()}`, parentId?: string) {
  const response = await admin.api.post('/api/groups', parentId ? { name, parentId } : { name })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body.group as { id: string; name: string; parentId: string | null }
}

export async function setGroupRole(actor: Session, groupId: string, userId: string, role: GroupRole) {
  const response = await actor.api.put(`/api/groups/${groupId}/members/${userId}`, { role })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
}

export async function createDeliverable(
  actor: Session,
  groupId: string,
  type: DeliverableType = 'technical-report',
  title = `Deliverable ${unique()}`,
) {
  const response = await actor.api.post('/api/deliverables', { title, type, groupId })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body.deliverable as { id: string; title: string; type: DeliverableType; groupId: string }
}

export async function setDeliverableRole(
  actor: Session,
  deliverableId: string,
  userId: string,
  role: DeliverableRole,
) {
  const response = await actor.api.put(`/api/deliverables/${deliverableId}/members/${userId}`, { role })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
}

/** A focus group with one working group and a deliverable, plus users in every deliverable role. */
export async function buildWorkspace(server: TestServer, type: DeliverableType = 'technical-report') {
  const admin = await createAdmin(server)
  const fg = await createGroup(admin, 'FG-MV')
  const wg = await createGroup(admin, 'WG1', fg.id)
  const chair = await createUser(server, admin, { name: 'Carla Chair' })
  await setGroupRole(admin, wg.id, chair.user.id, 'chair')
  const deliverable = await createDeliverable(chair, wg.id, type)
  const editor = await createUser(server, admin, { name: 'Eve Editor', organization: 'ETRI' })
  const editor2 = await createUser(server, admin, { name: 'Ed Second', organization: 'Huawei' })
  const participant = await createUser(server, admin, { name: 'Pat Participant' })
  const observer = await createUser(server, admin, { name: 'Otto Observer' })
  const outsider = await createUser(server, admin, { name: 'Olga Outsider' })
  await setDeliverableRole(chair, deliverable.id, editor.user.id, 'editor')
  await setDeliverableRole(chair, deliverable.id, editor2.user.id, 'editor')
  await setDeliverableRole(chair, deliverable.id, participant.user.id, 'participant')
  await setDeliverableRole(chair, deliverable.id, observer.user.id, 'observer')
  return { admin, fg, wg, chair, deliverable, editor, editor2, participant, observer, outsider }
}
