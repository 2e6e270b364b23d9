/**
 * The role x action x status table of API.md "Consensus" through `POST .../actions`, each case on its own clause
 * of one deliverable: 200 and the action recorded when allowed; 403, 404 (outsiders cannot see the deliverable)
 * or 409 and nothing recorded otherwise.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace, createUser, type Session, setGroupRole } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  apiAction,
  everyCase,
  NOTE,
  type Outcome,
  objectionAuthor,
  type Role,
  STATUS_WORDS,
  type StatusCase,
} from './matrix.ts'
import { act, appendClauses, history, must, sections, type Workspace } from './support.ts'

let server: TestServer
let ws: Workspace
let sessions: Record<Role, Session>
let free: string[]

const CASES = everyCase()

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  const parentChair = await createUser(server, ws.admin, { name: 'Paul Parent-Chair' })
  await setGroupRole(ws.admin, ws.fg.id, parentChair.user.id, 'chair')
  sessions = {
    admin: ws.admin,
    chair: ws.chair,
    parentChair,
    editor: ws.editor,
    participant: ws.participant,
    observer: ws.observer,
    outsider: ws.outsider,
  }
  await appendClauses(server, ws.editor, ws.deliverable.id, CASES.length, 'Case')
  free = (await sections(ws.chair, ws.deliverable.id)).filter((s) => s.id.startsWith('case')).map((s) => s.id)
})
afterAll(async () => server.stop())

const STATUS_CODE: Record<Outcome, number> = { allowed: 200, forbidden: 403, conflict: 409, invalid: 400 }

/** Brings a fresh clause into the case's status; answers its id and the id of its objection. */
async function prepare(
  status: StatusCase,
  author: Role,
): Promise<{ sectionId: string; objectionId: string }> {
  const sectionId = free.shift()!
  const id = ws.deliverable.id
  if (status === 'draft') return { sectionId, objectionId: 'noobjection' }
  await must(ws.editor, id, sectionId, { action: 'propose' })
  const objected = await must(sessions[author], id, sectionId, { action: 'object', note: 'Too vague.' })
  const objectionId = objected.objections[0]!.id
  if (status !== 'objected')
    await must(sessions[author], id, sectionId, { action: 'withdraw-objection', objectionId })
  if (status === 'agreed') await must(ws.chair, id, sectionId, { action: 'agree' })
  return { sectionId, objectionId }
}

describe('consensus actions through the HTTP API', () => {
  for (const { role, action, status, outcome } of CASES) {
    const code = role === 'outsider' ? 404 : STATUS_CODE[outcome]
    test(`${role}: ${action} on ${STATUS_WORDS[status]} answers ${code}`, async () => {
      const { sectionId, objectionId } = await prepare(status, objectionAuthor(role, action))
      const before = await history(ws.chair, ws.deliverable.id, sectionId)
      const response = await act(sessions[role], ws.deliverable.id, sectionId, {
        action: apiAction(action),
        note: NOTE,
        objectionId,
      })
      expect(response.status, JSON.stringify(response.body)).toBe(code)
      const after = await history(ws.chair, ws.deliverable.id, sectionId)
      if (code !== 200) {
        expect(response.body.error.code).toEqual(expect.any(String))
        expect(after).toEqual(before)
        return
      }
      expect(after.slice(0, -1)).toEqual(before)
      expect(after.at(-1)).toMatchObject({
        action: apiAction(action),
        userId: sessions[role].user.id,
        note: NOTE,
      })
      const section = response.body.section
      expect(section.id).toBe(sectionId)
      const expectedStatus = { propose: 'proposed', agree: 'agreed', reopen: 'draft' }[action as string]
      expect(section.status).toBe(expectedStatus ?? 'proposed')
      if (action === 'object')
        expect(section.objections.filter((o: { open: boolean }) => o.open).at(-1)).toMatchObject({
          userId: sessions[role].user.id,
          note: NOTE,
        })
      if (action === 'withdraw-own' || action === 'dismiss-objection')
        expect(section.objections.find((o: { id: string }) => o.id === objectionId)?.open).toBe(false)
    })
  }
})
