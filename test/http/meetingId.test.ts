/**
 * API.md "Meetings": an action carries the id of the meeting open for the deliverable's group "without the
 * client naming it". The server decides; a meetingId in the body is accepted (API.md lists it) and ignored.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { agreeSection, MEETING, meetingOn, type Workspace } from '../meetings/support.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Workspace
beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

test('a meetingId sent with an action is not recorded', async () => {
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

test('an action taken while a meeting of the group is open carries its id; a forged one is ignored', async () => {
  const meeting = await meetingOn(ws)
  // Another meeting of the same group, scheduled: naming it must not file the decision there.
  const other = await ws.chair.api.post('/api/meetings', { ...MEETING, title: 'Other', groupId: ws.wg.id })
  expect((await ws.chair.api.post(`/api/meetings/${meeting.meetingId}/open`)).status).toBe(200)
  const base = `/api/deliverables/${meeting.deliverable.id}`
  const sectionId = meeting.sections[0]!.id
  const act = (body: Record<string, unknown>) =>
    ws.chair.api.post(`${base}/sections/${sectionId}/actions`, body)
  expect((await act({ action: 'propose', meetingId: other.body.meeting.id })).status).toBe(200)
  expect((await act({ action: 'agree', meetingId: 'forged' })).status).toBe(200)
  await ws.chair.api.post(`/api/meetings/${meeting.meetingId}/close`)
  expect((await act({ action: 'reopen', note: 'after the meeting' })).status).toBe(200)
  const history = await ws.observer.api.get(`${base}/sections/${sectionId}/history`)
  expect(
    history.body.events.map((e: { action: string; meetingId: unknown }) => [e.action, e.meetingId]),
  ).toEqual([
    ['propose', meeting.meetingId],
    ['agree', meeting.meetingId],
    ['reopen', null],
  ])
})

test('a meeting of the focus group covers the deliverables of its working groups', async () => {
  const deliverable = (await meetingOn(ws)).deliverable
  const created = await ws.admin.api.post('/api/meetings', { ...MEETING, groupId: ws.fg.id })
  expect((await ws.admin.api.post(`/api/meetings/${created.body.meeting.id}/open`)).status).toBe(200)
  const sectionId = (await ws.chair.api.get(`/api/deliverables/${deliverable.id}`)).body.sections[1].id
  await agreeSection({ ...ws, deliverable }, sectionId)
  const history = await ws.chair.api.get(`/api/deliverables/${deliverable.id}/sections/${sectionId}/history`)
  expect(history.body.events.map((e: { meetingId: unknown }) => e.meetingId)).toEqual([
    created.body.meeting.id,
    created.body.meeting.id,
  ])
  await ws.admin.api.post(`/api/meetings/${created.body.meeting.id}/close`)
})
