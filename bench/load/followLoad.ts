/**
 * Followers of a meeting (issue 23): N raw clients of one deliverable while one editor types at a human's pace.
 * On Accord the followers said hello and told the meeting they follow, and the chair moves "Now discussing" from
 * clause to clause through the HTTP API during the typing; a move's latency is from the request being sent to the
 * `meeting` message naming the new clause arriving at a follower. On every server the typing latency is from a
 * keystroke's send to its arrival at each follower (the peers have no meetings: they carry the same typing to the
 * same followers, which is their meeting figure beside Accord's).
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import { MESSAGE_ACCORD, type ServerMessage } from '../../shared/protocol/messages.ts'
import { client as apiClient } from '../../test/support/http.ts'
import { Samples, type Summary, seededRandom, summarize, within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { seedIfNeeded, typingText } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw, type RawClient } from './rawClient.ts'
import { connectReal } from './realClient.ts'
import { KeystrokeReader, updateKey } from './wire.ts'

export interface MeetingFollowParams {
  target: DocumentTarget
  followers: number
  /** Moves of the clause under discussion, spread over the typing; 0 where the server has no meetings. */
  moves: number
  typingMs: number
  keyIntervalMs: [number, number]
  seed: number
}

export interface MeetingFollowResult {
  followers: number
  /** The follower count the server last pushed (it counts those that said they follow); 0 without a meeting. */
  countedFollowers: number
  moves: number
  latency: Summary | null
  httpMs: Summary | null
  missing: number
  keystrokes: number
  typing: Summary
  /** Keystrokes that reached a follower, of keystrokes × followers. */
  typingDelivered: number
  typingExpected: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Move {
  sectionId: string
  sentAt: number
  left: number
  samples: Samples
  done: () => void
}

export async function runMeetingFollow(
  params: MeetingFollowParams,
  context: JobContext,
): Promise<MeetingFollowResult> {
  const { target } = params
  const meeting = params.moves > 0 ? await openMeeting(target) : null

  const firstDoc = new Y.Doc()
  seedIfNeeded(target, firstDoc)
  const typist = connectReal(target, target.editors[0] ?? '', firstDoc)
  await within(typist.synced, 30_000, 'typist synced')
  const deadline = performance.now() + 10_000
  while (typist.body.length === 0 && performance.now() < deadline) await sleep(20)

  const sentAt = new Map<number, number>()
  const typing = new Samples()
  let typingDelivered = 0
  const reader = new KeystrokeReader((key) => sentAt.has(key))
  const onUpdate = (frame: Uint8Array, offset: number, at: number) => {
    for (const key of reader.keys(frame, offset)) {
      typing.push(at - sentAt.get(key)!)
      typingDelivered++
    }
  }
  let move: Move | null = null
  let counted = 0
  const onOther = (type: number, frame: Uint8Array, offset: number, at: number) => {
    if (type !== MESSAGE_ACCORD) return
    const decoder = decoding.createDecoder(frame)
    decoder.pos = offset
    const message = JSON.parse(decoding.readVarString(decoder)) as ServerMessage
    if (message.type !== 'meeting' || !message.meeting) return
    counted = message.meeting.followers
    if (!move || message.meeting.clause?.sectionId !== move.sectionId) return
    move.samples.push(at - move.sentAt)
    if (--move.left === 0) move.done()
  }
  const follow =
    meeting &&
    encodeAccordFrame({ type: 'meeting', meetingId: meeting.id, action: { kind: 'follow', following: true } })
  const clients: RawClient[] = []
  for (let i = 0; i < params.followers; i += 50) {
    const batch = Array.from({ length: Math.min(50, params.followers - i) }, async (_, j) => {
      const cookie = target.readers[(i + j) % Math.max(1, target.readers.length)] ?? ''
      const client = await connectRaw(target, cookie, { onUpdate, onOther })
      await within(client.synced, 60_000, 'follower synced')
      if (follow) client.send(follow)
      clients.push(client)
    })
    await Promise.all(batch)
  }
  // The follower count is pushed at most once a second: let the last one arrive before measuring.
  await sleep(meeting ? 2500 : 500)
  await context.mark('measure-start')

  const text = typingText(typist.body, 0)
  let capturing = false
  let keystrokeAt = 0
  typist.doc.on('update', (update: Uint8Array) => {
    if (!capturing) return
    const key = updateKey(update)
    if (key !== null) sentAt.set(key, keystrokeAt)
  })
  const started = performance.now()
  let keystrokes = 0
  const typed = (async () => {
    const random = seededRandom(params.seed)
    const [low, high] = params.keyIntervalMs
    while (performance.now() - started < params.typingMs) {
      keystrokeAt = performance.now()
      capturing = true
      text.insert(0, String.fromCharCode(97 + (keystrokes % 26)))
      capturing = false
      keystrokes++
      await sleep(low + random() * (high - low))
    }
  })()

  const moveLatency = new Samples()
  const http = new Samples()
  let missing = 0
  if (meeting) {
    const every = params.typingMs / params.moves
    for (let i = 0; i < params.moves; i++) {
      await sleep(Math.max(0, started + i * every - performance.now()))
      const samples = new Samples()
      let done!: () => void
      const arrived = new Promise<void>((resolve) => {
        done = resolve
      })
      const sectionId = meeting.sections[i % meeting.sections.length]!
      const sentAt = performance.now()
      move = { sectionId, sentAt, left: clients.length, samples, done }
      const response = await meeting.chair.post(`/api/meetings/${meeting.id}/live`, {
        action: { kind: 'discuss', deliverableId: target.name, sectionId },
      })
      http.push(performance.now() - sentAt)
      if (response.status !== 200)
        throw new Error(`discuss: HTTP ${response.status} ${JSON.stringify(response.body)}`)
      await within(arrived, 10_000, 'the clause reached every follower').catch(() => undefined)
      move = null
      missing += clients.length - samples.length
      for (const value of samples.values()) moveLatency.push(value)
    }
  }
  await typed
  const typingExpected = sentAt.size * clients.length
  const drainUntil = performance.now() + 10_000
  while (typingDelivered < typingExpected && performance.now() < drainUntil) await sleep(20)
  await context.mark('measure-end')
  typist.destroy()
  for (const client of clients) client.close()
  if (meeting) await meeting.chair.post(`/api/meetings/${meeting.id}/close`)
  return {
    followers: clients.length,
    countedFollowers: counted,
    moves: params.moves,
    latency: meeting ? summarize(moveLatency.values()) : null,
    httpMs: meeting ? summarize(http.values()) : null,
    missing,
    keystrokes,
    typing: summarize(typing.values()),
    typingDelivered,
    typingExpected,
  }
}

/** Accord: a meeting over the deliverable, opened by its chair. */
async function openMeeting(target: DocumentTarget) {
  const chair = apiClient(target.httpBase, target.chair)
  const { body } = await chair.get(`/api/deliverables/${target.name}`)
  const sections = (body.sections as { id: string }[]).map((s) => s.id)
  const created = await chair.post('/api/meetings', {
    groupId: body.deliverable.groupId,
    title: 'Bench meeting',
    start: new Date().toISOString(),
    end: new Date(Date.now() + 3_600_000).toISOString(),
    deliverableIds: [target.name],
  })
  if (created.status !== 201)
    throw new Error(`meeting: HTTP ${created.status} ${JSON.stringify(created.body)}`)
  const id = created.body.meeting.id as string
  const opened = await chair.post(`/api/meetings/${id}/open`)
  if (opened.status !== 200) throw new Error(`open: HTTP ${opened.status} ${JSON.stringify(opened.body)}`)
  return { id, chair, sections }
}
