/**
 * API.md "Meetings": an action carries the id of the meeting open for the deliverable's group "without the
 * client naming it". The server decides; a meetingId in the body is accepted (API.md lists it) and ignored.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.stop())

test('a meetingId sent with an action is not recorded', async () => {
  const ws = await buildWorkspace(server)
  const base = `/api/deliverables/${ws.deliverable.id}`
  const sectionId = (await ws.chair.api.get(base)).body.sections[0].id as string
  const act = (body: Record<string, unknown>) =>
    ws.chair.api.post(`${base}/sections/${sectionId}/actions`, body)
  expect((await act({ action: 'propose', meetingId: 'forged' })).status).toBe(200)
  expect((await act({ action: 'agree', meetingId: 'fgmv-3' })).status).toBe(200)
  const history = await ws.observer.api.get(`${base}/sections/${sectionId}/history`)
  expect(history.status).toBe(200)
  expect(
    history.body.events.map((e: { action: string; meetingId: unknown }) => [e.action, e.meetingId]),
  ).toEqual([
    ['propose', null],
    ['agree', null],
  ])
})
