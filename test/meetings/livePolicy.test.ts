/**
 * Policy and validation of every live meeting command, from one table: who may give it (everyone else gets 403,
 * or 404 when they cannot see the meeting) and what malformed input is refused with 400. Checked over HTTP, which
 * shares the judgement with the socket (live.test.ts covers the socket and a forging raw client).
 */
import { expect, test } from 'vitest'
import type { MeetingCommand } from '../../shared/domain/meetingsLive.ts'
import { meetingOn, serverWithWorkspace } from './support.ts'

const ctx = serverWithWorkspace()

type Who = 'admin' | 'chair' | 'editor' | 'participant' | 'observer' | 'outsider'
const EVERYONE: Who[] = ['admin', 'chair', 'editor', 'participant', 'observer', 'outsider']
const CHAIRS: Who[] = ['admin', 'chair']
const MEMBERS: Who[] = ['admin', 'chair', 'editor', 'participant']

const TABLE: {
  kind: string
  command: (m: Awaited<ReturnType<typeof meetingOn>>) => MeetingCommand
  allowed: Who[]
}[] = [
  {
    kind: 'discuss',
    command: (m) => ({ kind: 'discuss', deliverableId: m.deliverable.id, sectionId: m.sections[0]!.id }),
    allowed: CHAIRS,
  },
  {
    kind: 'set-presenter',
    command: (m) => ({ kind: 'set-presenter', userId: m.editor.user.id }),
    allowed: CHAIRS,
  },
  { kind: 'request-floor', command: () => ({ kind: 'request-floor', note: 'to say' }), allowed: MEMBERS },
  { kind: 'withdraw', command: () => ({ kind: 'withdraw' }), allowed: MEMBERS },
  { kind: 'next', command: () => ({ kind: 'next' }), allowed: CHAIRS },
  { kind: 'add-speaker', command: () => ({ kind: 'add-speaker', name: 'Guest' }), allowed: CHAIRS },
  { kind: 'remove-entry', command: () => ({ kind: 'remove-entry', entryId: 'none' }), allowed: CHAIRS },
  { kind: 'queue-open', command: () => ({ kind: 'queue-open', open: true }), allowed: CHAIRS },
  { kind: 'speaking-time', command: () => ({ kind: 'speaking-time', seconds: 90 }), allowed: CHAIRS },
  { kind: 'follow', command: () => ({ kind: 'follow', following: true }), allowed: [...MEMBERS, 'observer'] },
]

test.each(TABLE.map((row) => [row.kind, row] as const))('%s', async (_kind, row) => {
  const m = await meetingOn(ctx.base)
  await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)
  const command = row.command(m)
  for (const who of EVERYONE) {
    const response = await m[who].api.post(`/api/meetings/${m.meetingId}/live`, { action: command })
    if (row.allowed.includes(who))
      expect(response.status, `${who}: ${JSON.stringify(response.body)}`).toBe(200)
    else expect(response.status, who).toBe(who === 'outsider' ? 404 : 403)
    // Withdraw after each request, so that everyone may ask once.
    if (command.kind === 'request-floor' && response.status === 200)
      await m[who].api.post(`/api/meetings/${m.meetingId}/live`, { action: { kind: 'withdraw' } })
  }
  await m.chair.api.post(`/api/meetings/${m.meetingId}/close`)
})

test.each([
  [{ kind: 'discuss', sectionId: 'x', deliverableId: 'not-this-meetings' }, 'deliverableId'],
  [{ kind: 'discuss', agendaItemId: 'missing' }, 'agendaItemId'],
  [{ kind: 'set-presenter', userId: 'nobody' }, 'userId'],
  [{ kind: 'speaking-time', seconds: 5 }, 'seconds'],
  [{ kind: 'request-floor', note: 'x'.repeat(301) }, 'note'],
  [{ kind: 'add-speaker', name: '' }, 'name'],
  [{ kind: 'queue-open' }, 'open'],
  [{ kind: 'launch' }, 'kind'],
])('bad input %j is refused (400) and changes nothing', async (action, field) => {
  const m = await meetingOn(ctx.base)
  await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)
  const before = (await m.chair.api.get(`/api/meetings/${m.meetingId}/live`)).body.state
  const response = await m.chair.api.post(`/api/meetings/${m.meetingId}/live`, { action })
  expect(response.status).toBe(400)
  expect(response.body.error.message).toContain(field)
  expect((await m.chair.api.get(`/api/meetings/${m.meetingId}/live`)).body.state).toEqual(before)
  await m.chair.api.post(`/api/meetings/${m.meetingId}/close`)
})

test('no command is taken while the meeting is not open', async () => {
  const m = await meetingOn(ctx.base)
  const response = await m.chair.api.post(`/api/meetings/${m.meetingId}/live`, { action: { kind: 'next' } })
  expect(response.status).toBe(409)
})
