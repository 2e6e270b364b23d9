/**
 * Status changes reaching connected clients (Accord only): raw clients that said hello listen for
 * `{type:'consensus'}` messages; the chair proposes then agrees clauses through the HTTP API, and each client's
 * latency is from the request being sent to the message naming the clause in its new status arriving.
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
}

export interface StatusChangesResult {
  clients: number
  changes: number
  latency: Summary
  byAction: Record<string, Summary>
  httpMs: Summary
  missing: number
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
  await context.mark('measure-end')
  for (const client of clients) client.close()
  return {
    clients: clients.length,
    changes: sections.length * 2,
    latency: summarize(all.values()),
    byAction: Object.fromEntries(Object.entries(byAction).map(([k, v]) => [k, summarize(v.values())])),
    httpMs: summarize(http.values()),
    missing,
  }
}
