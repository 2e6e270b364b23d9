/**
 * The meeting in progress survives the server: presenter, "Now discussing" (agenda item and clause, and who set
 * it), the speaking queue with its notes, the floor and its speaking time, the queue's open or closed state. Each
 * command is durable once acknowledged, so after SIGKILL and a restart the open meeting comes back as it was; only
 * the follower count starts again from the connections that follow. A saved state that does not read back is never
 * overwritten by the next command.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { buildWorkspace } from '../support/factories.ts'
import { breakMeetingLive, storedMeetingLive, writeMeetingLive } from '../support/storedState.ts'
import { connectClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { meetingOn, type Workspace } from './support.ts'

let server: TestServer
let base: Workspace
beforeAll(async () => {
  server = await startTestServer({ childProcess: true })
  base = await buildWorkspace(server)
})
afterAll(async () => server.stop())

describe('after SIGKILL and a restart, the open meeting comes back with its state', () => {
  test('presenter, now discussing, queue, floor, speaking time and the closed queue', async () => {
    const m = await meetingOn(base)
    const live = `/api/meetings/${m.meetingId}/live`
    expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
    const agenda = await m.chair.api.put(`/api/meetings/${m.meetingId}/agenda`, {
      items: [
        { title: 'Scope', clauses: [{ deliverableId: m.deliverable.id, sectionId: m.sections[1]!.id }] },
      ],
    })
    expect(agenda.status).toBe(200)
    const itemId = agenda.body.meeting.agenda[0].id as string
    const act = async (who: typeof m.chair, action: Record<string, unknown>) => {
      const answer = await who.api.post(live, { action })
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
      return answer.body.state as MeetingLiveState
    }
    await act(m.chair, { kind: 'set-presenter', userId: m.editor.user.id })
    await act(m.editor, { kind: 'discuss', agendaItemId: itemId, sectionId: m.sections[2]!.id })
    await act(m.chair, { kind: 'speaking-time', seconds: 90 })
    await act(m.participant, { kind: 'request-floor', note: 'to say: keep NOTE 2' })
    await act(m.chair, { kind: 'next' })
    await act(m.editor2, { kind: 'request-floor', reply: true, note: 'on that point' })
    await act(m.chair, { kind: 'add-speaker', name: 'Guest from ETSI', organization: 'ETSI' })
    const before = await act(m.chair, { kind: 'queue-open', open: false })
    expect(before).toMatchObject({
      presenter: { name: 'Eve Editor' },
      leader: { name: 'Eve Editor', role: 'presenter' },
      agendaItemId: itemId,
      clause: { sectionId: m.sections[2]!.id },
      floor: { name: 'Pat Participant' },
      speakingTimeSeconds: 90,
      queueOpen: false,
    })
    expect(before.queue.map((e) => e.name)).toEqual(['Ed Second', 'Guest from ETSI'])

    await server.kill()
    await server.restart()

    const after = (await m.chair.api.get(live)).body.state as MeetingLiveState
    expect(after).toEqual({ ...before, followers: 0 })
    // A client connecting after the restart hears the same state on hello.
    const pat = connectClient(server, m.deliverable.id, m.participant.cookie, { accord: true })
    try {
      await waitFor(() => pat.messages.some((x) => x.type === 'meeting'), 'the state on hello')
      const heard = pat.messages.find((x) => x.type === 'meeting')
      expect(heard?.type === 'meeting' && heard.meeting).toMatchObject({
        clause: { sectionId: m.sections[2]!.id },
        floor: { name: 'Pat Participant' },
        queueOpen: false,
      })
    } finally {
      pat.destroy()
    }
    // The presenter named before the restart still presents; the chair still runs the queue.
    await act(m.editor, { kind: 'discuss', deliverableId: m.deliverable.id, sectionId: m.sections[3]!.id })
    const next = await act(m.chair, { kind: 'next' })
    expect(next.floor?.name).toBe('Ed Second')
  })

  test('a closed meeting does not come back: its state is gone with it', async () => {
    const m = await meetingOn(base)
    expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
    const live = `/api/meetings/${m.meetingId}/live`
    const asked = await m.participant.api.post(live, { action: { kind: 'request-floor' } })
    expect(asked.status).toBe(200)
    expect(await storedMeetingLive(server, m.meetingId)).toContain(m.participant.user.id)
    expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/close`)).status).toBe(200)
    // Removed once the close is answered: a crash in between leaves a state that nothing loads (only open
    // meetings are restored), so the close does not wait for it.
    await expect.poll(() => storedMeetingLive(server, m.meetingId), { timeout: 10_000 }).toBeNull()
    await server.kill()
    await server.restart()
    expect((await m.chair.api.get(live)).body.state).toBeNull()
  })
})

describe('a saved meeting state that does not read back is refused, never overwritten', () => {
  test('commands are refused naming where it is until it is restored; closing leaves it as it is', async () => {
    const [kept, closed] = [await meetingOn(base), await meetingOn(base)]
    for (const m of [kept, closed]) {
      expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
      const asked = await m.participant.api.post(`/api/meetings/${m.meetingId}/live`, {
        action: { kind: 'request-floor', note: 'on scope' },
      })
      expect(asked.status).toBe(200)
    }
    const saved = (await storedMeetingLive(server, kept.meetingId))!
    await server.kill()
    const damages = [
      await breakMeetingLive(server, kept.meetingId),
      await breakMeetingLive(server, closed.meetingId),
    ]
    const damaged = await damages[0]!.read()
    await server.restart()

    const live = `/api/meetings/${kept.meetingId}/live`
    const refused = await kept.chair.api.post(live, { action: { kind: 'queue-open', open: false } })
    expect(refused.status).toBe(503)
    expect(refused.body.error.message).toContain(damages[0]!.where)
    expect(await damages[0]!.read()).toBe(damaged)

    // Restored by an operator: the next command is judged against it, and takes.
    await writeMeetingLive(server, kept.meetingId, saved)
    const taken = await kept.chair.api.post(live, { action: { kind: 'queue-open', open: false } })
    expect(taken.status, JSON.stringify(taken.body)).toBe(200)
    expect(taken.body.state).toMatchObject({ queueOpen: false, queue: [{ note: 'on scope' }] })

    expect((await closed.chair.api.post(`/api/meetings/${closed.meetingId}/close`)).status).toBe(200)
    expect(await damages[1]!.read()).toBe(damaged)
  })
})
