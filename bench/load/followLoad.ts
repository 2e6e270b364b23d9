/**
 * Followers of a meeting (Accord only, issue 23): raw clients that said hello and told the meeting they follow;
 * the chair moves "Now discussing" from clause to clause through the HTTP API, and each follower's latency is from
 * the request being sent to the `meeting` message naming the new clause arriving.
 */
import * as decoding from 'lib0/decoding'
import { encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import { MESSAGE_ACCORD, type ServerMessage } from '../../shared/protocol/messages.ts'
import { client as apiClient } from '../../test/support/http.ts'
import { Samples, type Summary, summarize, within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw, type RawClient } from './rawClient.ts'

export interface MeetingFollowParams {
  target: DocumentTarget
  followers: number
  moves: number
}

export interface MeetingFollowResult {
  followers: number
  /** The follower count the server last pushed (it counts those that said they follow). */
  countedFollowers: number
  moves: number
  latency: Summary
  httpMs: Summary
  missing: number
}

export async function runMeetingFollow(
  params: MeetingFollowParams,
  context: JobContext,
): Promise<MeetingFollowResult> {
  const { target } = params
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
  const meetingId = created.body.meeting.id as string
  const opened = await chair.post(`/api/meetings/${meetingId}/open`)
  if (opened.status !== 200) throw new Error(`open: HTTP ${opened.status} ${JSON.stringify(opened.body)}`)

  let waiting: {
    sectionId: string
    sentAt: number
    left: number
    samples: Samples
    done: () => void
  } | null = null
  let counted = 0
  const onOther = (type: number, frame: Uint8Array, offset: number, at: number) => {
    if (type !== MESSAGE_ACCORD) return
    const decoder = decoding.createDecoder(frame)
    decoder.pos = offset
    const message = JSON.parse(decoding.readVarString(decoder)) as ServerMessage
    if (message.type !== 'meeting' || !message.meeting) return
    counted = message.meeting.followers
    if (!waiting || message.meeting.clause?.sectionId !== waiting.sectionId) return
    waiting.samples.push(at - waiting.sentAt)
    if (--waiting.left === 0) waiting.done()
  }
  const follow = encodeAccordFrame({
    type: 'meeting',
    meetingId,
    action: { kind: 'follow', following: true },
  })
  const clients: RawClient[] = []
  for (let i = 0; i < params.followers; i += 50) {
    const batch = Array.from({ length: Math.min(50, params.followers - i) }, async (_, j) => {
      const client = await connectRaw(target, target.readers[(i + j) % target.readers.length]!, { onOther })
      await within(client.synced, 60_000, 'follower synced')
      client.send(follow)
      clients.push(client)
    })
    await Promise.all(batch)
  }
  // The follower count is pushed at most once a second: let the last one arrive before measuring.
  await new Promise((resolve) => setTimeout(resolve, 2500))
  await context.mark('measure-start')

  const all = new Samples()
  const http = new Samples()
  let missing = 0
  for (let move = 0; move < params.moves; move++) {
    const sectionId = sections[move % sections.length]!
    const samples = new Samples()
    let done!: () => void
    const arrived = new Promise<void>((resolve) => {
      done = resolve
    })
    const sentAt = performance.now()
    waiting = { sectionId, sentAt, left: clients.length, samples, done }
    const response = await chair.post(`/api/meetings/${meetingId}/live`, {
      action: { kind: 'discuss', deliverableId: target.name, sectionId },
    })
    http.push(performance.now() - sentAt)
    if (response.status !== 200)
      throw new Error(`discuss: HTTP ${response.status} ${JSON.stringify(response.body)}`)
    await within(arrived, 10_000, 'the clause reached every follower').catch(() => undefined)
    waiting = null
    missing += clients.length - samples.length
    for (const value of samples.values()) all.push(value)
  }
  await context.mark('measure-end')
  for (const client of clients) client.close()
  await chair.post(`/api/meetings/${meetingId}/close`)
  return {
    followers: clients.length,
    countedFollowers: counted,
    moves: params.moves,
    latency: summarize(all.values()),
    httpMs: summarize(http.values()),
    missing,
  }
}
