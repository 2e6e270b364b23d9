/**
 * The meeting in progress over the live connection: its state (presenter, "Now discussing", queue, floor, speaking
 * time) is the server's, pushed as `meeting` messages; commands are judged by the policy. A forged command from a
 * raw client that is not the chair changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { decodeAccordFrame, encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import type { ClientMessage, ServerMessage } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient, type LiveClient, rawSocket, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { meetingOn, type Workspace } from './support.ts'

let server: TestServer
let base: Workspace
const clients: LiveClient[] = []
beforeAll(async () => {
  server = await startTestServer()
  base = await buildWorkspace(server)
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.stop()
})

type Command = Extract<ClientMessage, { type: 'meeting' }>['action']

/** The last meeting state a client received. */
function lastState(client: LiveClient): MeetingLiveState | null | undefined {
  const states = client.messages.filter((m) => m.type === 'meeting')
  return states.at(-1)?.meeting
}

async function openMeeting() {
  const ws = await meetingOn(base)
  expect((await ws.chair.api.post(`/api/meetings/${ws.meetingId}/open`)).status).toBe(200)
  const join = async (cookie: string) => {
    const client = connectClient(server, ws.deliverable.id, cookie, { accord: true })
    clients.push(client)
    await waitFor(() => lastState(client) !== undefined, 'the meeting state on hello')
    return client
  }
  const send = (client: LiveClient, action: Command) =>
    client.provider.ws!.send(encodeAccordFrame({ type: 'meeting', meetingId: ws.meetingId, action }))
  const served = async () => (await ws.chair.api.get(`/api/meetings/${ws.meetingId}/live`)).body.state
  return { ...ws, join, send, served }
}

describe('the meeting state is pushed to every participant', () => {
  test('on hello, and after each change: now discussing, the floor, the queue in chair order', async () => {
    const m = await openMeeting()
    const [chair, pat, eve, otto] = await Promise.all([
      m.join(m.chair.cookie),
      m.join(m.participant.cookie),
      m.join(m.editor.cookie),
      m.join(m.observer.cookie),
    ])
    expect(lastState(otto)).toMatchObject({ meetingId: m.meetingId, status: 'open', clause: null, queue: [] })
    const clause = m.sections[4]!
    m.send(chair, { kind: 'discuss', deliverableId: m.deliverable.id, sectionId: clause.id })
    await waitFor(() => lastState(otto)?.clause?.sectionId === clause.id, 'the clause reaches the observer')
    expect(lastState(otto)!.leader).toMatchObject({ name: 'Carla Chair', role: 'chair' })

    m.send(pat, { kind: 'request-floor', note: 'to say: keep NOTE 2' })
    await waitFor(() => lastState(otto)?.queue.length === 1, 'the request')
    m.send(chair, { kind: 'next' })
    await waitFor(() => lastState(otto)?.floor?.name === 'Pat Participant', 'Pat has the floor')
    m.send(eve, { kind: 'request-floor' })
    await waitFor(() => lastState(otto)?.queue.length === 1, 'Eve waits')
    // A reply to the current speaker goes first.
    const ed = await m.join(m.editor2.cookie)
    m.send(ed, { kind: 'request-floor', reply: true, note: 'on that point' })
    await waitFor(() => lastState(otto)?.queue.length === 2, 'the reply waits')
    expect(lastState(otto)!.queue.map((e) => [e.name, e.reply])).toEqual([
      ['Ed Second', true],
      ['Eve Editor', false],
    ])
    m.send(chair, { kind: 'speaking-time', seconds: 120 })
    m.send(chair, { kind: 'next' })
    await waitFor(() => lastState(pat)?.floor?.name === 'Ed Second', 'Ed has the floor')
    const floor = lastState(pat)!.floor!
    expect(Date.parse(floor.endsAt!) - Date.parse(floor.since)).toBe(120_000)
    m.send(eve, { kind: 'withdraw' })
    await waitFor(() => lastState(otto)?.queue.length === 0, 'Eve withdrew')

    // Someone in the room without a connection; a closed queue takes no request.
    m.send(chair, { kind: 'add-speaker', name: 'Guest from ETSI', organization: 'ETSI' })
    m.send(chair, { kind: 'queue-open', open: false })
    await waitFor(() => lastState(otto)?.queueOpen === false, 'the queue is closed')
    m.send(pat, { kind: 'request-floor' })
    await waitFor(() => pat.messages.some((x) => x.type === 'meeting-refused'), 'the refusal')
    expect((await m.served()).queue.map((e: { name: string }) => e.name)).toEqual(['Guest from ETSI'])
  })

  test('a presenter named by the chair sets "Now discussing"; followers are counted', async () => {
    const m = await openMeeting()
    const [chair, eve] = await Promise.all([m.join(m.chair.cookie), m.join(m.editor.cookie)])
    m.send(eve, { kind: 'discuss', deliverableId: m.deliverable.id, sectionId: m.sections[1]!.id })
    await waitFor(() => eve.messages.some((x) => x.type === 'meeting-refused'), 'not yet presenter')
    m.send(chair, { kind: 'set-presenter', userId: m.editor.user.id })
    await waitFor(() => lastState(eve)?.presenter?.name === 'Eve Editor', 'Eve presents')
    m.send(eve, { kind: 'discuss', deliverableId: m.deliverable.id, sectionId: m.sections[2]!.id })
    await waitFor(() => lastState(chair)?.clause?.sectionId === m.sections[2]!.id, 'Eve moved on')
    expect(lastState(chair)!.leader).toMatchObject({ name: 'Eve Editor', role: 'presenter' })
    m.send(chair, { kind: 'follow', following: true })
    await waitFor(() => lastState(eve)?.followers === 1, 'one follower')
  })

  test('closing the meeting tells everyone that no meeting is in progress', async () => {
    const m = await openMeeting()
    const pat = await m.join(m.participant.cookie)
    await m.chair.api.post(`/api/meetings/${m.meetingId}/close`)
    await waitFor(() => lastState(pat) === null, 'the meeting ended')
  })
})

describe('a forged meeting message changes nothing', () => {
  test('from a raw y-protocols client that is not the chair', async () => {
    const m = await openMeeting()
    const otto = await m.join(m.observer.cookie)
    const raw = await rawSocket(server, m.deliverable.id, m.participant.cookie)
    const received = () => raw.received.map(decodeAccordFrame).filter(Boolean) as ServerMessage[]
    const forge = (message: unknown) => raw.socket.send(encodeAccordFrame(message as ClientMessage))
    forge({ type: 'hello', version: 1 })
    await waitFor(() => received().some((x) => x.type === 'meeting'), 'the raw client is welcomed')
    const before = await m.served()
    const forged: unknown[] = [
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'discuss', sectionId: m.sections[3]!.id } },
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'next' } },
      {
        type: 'meeting',
        meetingId: m.meetingId,
        action: { kind: 'set-presenter', userId: m.participant.user.id },
      },
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'add-speaker', name: 'Mallory' } },
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'queue-open', open: false } },
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'speaking-time', seconds: 10 } },
      { type: 'meeting', meetingId: 'another-meeting', action: { kind: 'request-floor' } },
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'request-floor', reply: 'yes', note: 7 } },
      { type: 'meeting', meetingId: m.meetingId, action: { kind: 'launch-missiles' } },
      { type: 'meeting', meetingId: m.meetingId },
    ]
    for (const message of forged) forge(message)
    await waitFor(
      () => received().filter((x) => x.type === 'meeting-refused').length === forged.length,
      'every forgery refused',
    )
    expect(await m.served()).toEqual(before)
    // Nobody else heard anything, and the connection is still usable.
    expect(otto.messages.filter((x) => x.type === 'meeting')).toHaveLength(1)
    forge({
      type: 'meeting',
      meetingId: m.meetingId,
      action: { kind: 'request-floor', note: 'legitimately' },
    })
    await waitFor(() => lastState(otto)?.queue.length === 1, 'a member may still request the floor')
    raw.socket.close()
  })

  test('over HTTP too: a participant cannot give the floor', async () => {
    const m = await openMeeting()
    const live = `/api/meetings/${m.meetingId}/live`
    expect((await m.participant.api.post(live, { action: { kind: 'next' } })).status).toBe(403)
    expect((await m.observer.api.post(live, { action: { kind: 'request-floor' } })).status).toBe(403)
    expect((await m.participant.api.post(live, { action: { kind: 'nope' } })).status).toBe(400)
    expect((await m.outsider.api.post(live, { action: { kind: 'request-floor' } })).status).toBe(404)
    const asked = await m.participant.api.post(live, { action: { kind: 'request-floor', note: 'to say' } })
    expect(asked.status).toBe(200)
    expect(asked.body.state.queue[0]).toMatchObject({ name: 'Pat Participant', note: 'to say' })
  })
})
