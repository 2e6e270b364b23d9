/** A group's workspace with a meeting of its working group, made through the real API. */
import { afterAll, beforeAll, expect } from 'vitest'
import { buildWorkspace, createDeliverable, setDeliverableRole } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

export type Workspace = Awaited<ReturnType<typeof buildWorkspace>>

export const MEETING = {
  title: 'Third meeting',
  start: '2026-03-08T09:00:00+03:00',
  end: '2026-03-09T17:00:00+03:00',
  place: 'Riyadh',
  timeZone: 'Asia/Riyadh',
}

/**
 * A fresh deliverable of the workspace's working group (the workspace's editors, participant and observer on it)
 * and a scheduled meeting treating it: each test gets its own, on one server.
 */
export async function meetingOn(base: Workspace) {
  const deliverable = await createDeliverable(base.chair, base.wg.id)
  for (const [who, role] of [
    [base.editor, 'editor'],
    [base.editor2, 'editor'],
    [base.participant, 'participant'],
    [base.observer, 'observer'],
  ] as const)
    await setDeliverableRole(base.chair, deliverable.id, who.user.id, role)
  const ws = { ...base, deliverable }
  const created = await ws.chair.api.post('/api/meetings', {
    ...MEETING,
    groupId: ws.wg.id,
    deliverableIds: [deliverable.id],
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const meetingId = created.body.meeting.id as string
  const sections = (await ws.chair.api.get(`/api/deliverables/${deliverable.id}`)).body.sections as {
    id: string
    number: string
    title: string
  }[]
  return { ...ws, meetingId, sections }
}

/** Proposes and agrees a section as the chair; the answer's section. */
export async function agreeSection(ws: Workspace, sectionId: string, note?: string) {
  const base = `/api/deliverables/${ws.deliverable.id}/sections/${sectionId}/actions`
  expect((await ws.chair.api.post(base, { action: 'propose' })).status).toBe(200)
  const agreed = await ws.chair.api.post(base, note ? { action: 'agree', note } : { action: 'agree' })
  expect(agreed.status, JSON.stringify(agreed.body)).toBe(200)
  return agreed.body.section as { id: string; hash: string }
}

/** One real server for the file and one workspace on it (the first-run setup happens once per server). */
export function serverWithWorkspace(): { server: TestServer; base: Workspace } {
  const ctx = {} as { server: TestServer; base: Workspace }
  beforeAll(async () => {
    ctx.server = await startTestServer()
    ctx.base = await buildWorkspace(ctx.server)
  })
  afterAll(async () => ctx.server?.stop())
  return ctx
}
