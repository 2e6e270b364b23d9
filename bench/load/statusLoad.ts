/**
 * Status changes and new comments reaching connected clients (Accord only): raw clients that said hello listen for
 * `{type:'consensus'}` and `{type:'annotations'}` messages; the chair proposes then agrees clauses, then comments
 * on clauses, through the HTTP API, and each client's latency is from the request being sent to the message naming
 * the clause in its new status (or carrying the new comment) arriving.
 */
import * as decoding from 'lib0/decoding'
import { MESSAGE_ACCORD, type ServerMessage } from '../../shared/protocol/messages.ts'
import { client as apiClient } from '../../test/support/http.ts'
import { Samples, type Summary, summarize, within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw, type RawClient } from './rawClient.ts'

export interface StatusChangesParams {
  target: DocumentTarget
  clients: number
  sections: number
  comments: number
}

export interface StatusChangesResult {
  clients: number
  changes: number
  latency: Summary
  byAction: Record<string, Summary>
  httpMs: Summary
  missing: number
  /** Each new comment, from its request to each client having the `annotations` message that carries it. */
  comments: Summary
  commentsMissing: number
}

export async function runStatusChanges(
  params: StatusChangesParams,
  context: JobContext,
): Promise<StatusChangesResult> {
  const { target } = params
  const waiting = new Map<string, { sentAt: number; left: number; samples: Samples; done: () => void }>()
  const onOther = (type: number, frame: Uint8Array, offset: number, at: number) => {
    if (type !== MESSAGE_ACCORD) return
    const decoder = decoding.createDecoder(frame)
    decoder.pos = offset
    const message = JSON.parse(decoding.readVarString(decoder)) as ServerMessage
    if (message.type === 'annotations') {
      for (const comment of message.comments) {
        const wait = waiting.get(`comment:${comment.body}`)
        if (!wait) continue
        wait.samples.push(at - wait.sentAt)
        if (--wait.left === 0) wait.done()
      }
      return
    }
    if (message.type !== 'consensus') return
    for (const section of message.sections) {
      const wait = waiting.get(`${section.id}:${section.status}`)
      if (!wait) continue
      wait.samples.push(at - wait.sentAt)
      if (--wait.left === 0) wait.done()
    }
  }
  const clients: RawClient[] = []
  for (let i = 0; i < params.clients; i += 50) {
    const batch = Array.from({ length: Math.min(50, params.clients - i) }, async (_, j) => {
      const client = await connectRaw(target, target.readers[(i + j) % target.readers.length]!, { onOther })
      await within(client.synced, 60_000, 'listener synced')
      clients.push(client)
    })
    await Promise.all(batch)
  }
  const chair = apiClient(target.httpBase, target.chair)
  const { body } = await chair.get(`/api/deliverables/${target.name}`)
  const sections = (body.sections as { id: string; status: string }[])
    .filter((s) => s.status === 'draft')
    .slice(0, params.sections)
  await context.mark('measure-start')

  const all = new Samples()
  const byAction: Record<string, Samples> = { propose: new Samples(), agree: new Samples() }
  const http = new Samples()
  let missing = 0
  for (const section of sections) {
    for (const [action, status] of [
      ['propose', 'proposed'],
      ['agree', 'agreed'],
    ] as const) {
      const samples = new Samples()
      let done!: () => void
      const arrived = new Promise<void>((resolve) => {
        done = resolve
      })
      const sentAt = performance.now()
      waiting.set(`${section.id}:${status}`, { sentAt, left: clients.length, samples, done })
      const response = await chair.post(`/api/deliverables/${target.name}/sections/${section.id}/actions`, {
        action,
      })
      http.push(performance.now() - sentAt)
      if (response.status !== 200)
        throw new Error(`${action}: HTTP ${response.status} ${JSON.stringify(response.body)}`)
      await within(arrived, 10_000, `${action} reached every client`).catch(() => undefined)
      waiting.delete(`${section.id}:${status}`)
      missing += clients.length - samples.length
      for (const value of samples.values()) {
        all.push(value)
        byAction[action]!.push(value)
      }
    }
  }
  // New comments, each on a clause of its own (whole-clause comments: no anchor).
  const comments = new Samples()
  let commentsMissing = 0
  const clauses = (body.sections as { id: string }[]).map((s) => s.id)
  for (let i = 0; i < params.comments; i++) {
    const text = `Bench comment ${i}: is this the term the group agreed?`
    const samples = new Samples()
    let done!: () => void
    const arrived = new Promise<void>((resolve) => {
      done = resolve
    })
    const sentAt = performance.now()
    waiting.set(`comment:${text}`, { sentAt, left: clients.length, samples, done })
    const response = await chair.post(`/api/deliverables/${target.name}/comments`, {
      sectionId: clauses[i % clauses.length],
      body: text,
    })
    if (response.status !== 201)
      throw new Error(`comment: HTTP ${response.status} ${JSON.stringify(response.body)}`)
    await within(arrived, 10_000, 'the comment reached every client').catch(() => undefined)
    waiting.delete(`comment:${text}`)
    commentsMissing += clients.length - samples.length
    for (const value of samples.values()) comments.push(value)
  }
  await context.mark('measure-end')
  for (const client of clients) client.close()
  return {
    comments: summarize(comments.values()),
    commentsMissing,
    clients: clients.length,
    changes: sections.length * 2,
    latency: summarize(all.values()),
    byAction: Object.fromEntries(Object.entries(byAction).map(([k, v]) => [k, summarize(v.values())])),
    httpMs: summarize(http.values()),
    missing,
  }
}
