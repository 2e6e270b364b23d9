/**
 * The concurrent trace `friendsforever`: two clients, one per agent, each sending its agent's transactions in
 * causal order (a transaction goes out only once its client holds the transaction's history, SYNC.md §6).
 * Checks that both clients and a late joiner end with exactly `endContent`.
 */
import * as Y from 'yjs'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import {
  type ConcurrentTrace,
  holds,
  loadTrace,
  replayConcurrent as replayConcurrentInOrder,
} from '../../test/support/traces.ts'
import { within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { seedIfNeeded, typingText } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { connectReal } from './realClient.ts'

export interface ConcurrentTraceParams {
  target: DocumentTarget
}

export interface ConcurrentTraceResult {
  txns: number
  seconds: number
  txnsPerSecond: number
  agentsExact: number
  lateJoinerExact: boolean
  /** When not exact: what each client held (text lengths, whether the agents agree, pending structs). */
  diagnosis?: { lengths: number[]; expected: number; agentsAgree: boolean; pending: boolean[] }
}

function whenHolds(doc: Y.Doc, history: Map<number, number>): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!holds(doc, history)) return
      doc.off('update', check)
      resolve()
    }
    doc.on('update', check)
    check()
  })
}

export async function runConcurrentTrace(
  params: ConcurrentTraceParams,
  context: JobContext,
): Promise<ConcurrentTraceResult> {
  const { target } = params
  const trace = loadTrace<ConcurrentTrace>('friendsforever.json.gz')
  const first = new Y.Doc()
  seedIfNeeded(target, first)
  const clients = [connectReal(target, target.editors[0] ?? '', first)]
  await within(clients[0]!.synced, 30_000, 'first agent synced')
  clients.push(connectReal(target, target.editors[1] ?? ''))
  await within(clients[1]!.synced, 30_000, 'second agent synced')
  typingText(clients[0]!.body, 0)
  const locate = (doc: Y.Doc) => typingText(doc.getXmlFragment(BODY_FIELD), 0)
  await within(
    whenHolds(clients[1]!.doc, Y.decodeStateVector(Y.encodeStateVector(first))),
    30_000,
    'text element reached the second agent',
  )
  const base = Y.encodeStateAsUpdate(first)

  await context.mark('measure-start')
  const started = performance.now()
  await replayConcurrentInOrder(trace, base, locate, async (agent, update, history) => {
    const client = clients[agent]!
    if (!holds(client.doc, history)) await within(whenHolds(client.doc, history), 60_000, 'causal history')
    Y.applyUpdate(client.doc, update, 'trace')
  })
  const exact = () => clients.filter((c) => locate(c.doc).toString() === trace.endContent).length
  const done = new Promise<void>((resolve) => {
    const check = () => {
      if (exact() < clients.length) return
      for (const c of clients) c.doc.off('update', check)
      resolve()
    }
    for (const c of clients) c.doc.on('update', check)
    check()
  })
  await within(done, 120_000, 'both agents reach endContent').catch(() => undefined)
  const seconds = (performance.now() - started) / 1000
  await context.mark('measure-end')

  const late = connectReal(target, target.readers[0] ?? '')
  await within(late.synced, 30_000, 'late joiner synced')
  const result: ConcurrentTraceResult = {
    txns: trace.txns.length,
    seconds,
    txnsPerSecond: trace.txns.length / seconds,
    agentsExact: exact(),
    lateJoinerExact: locate(late.doc).toString() === trace.endContent,
  }
  if (result.agentsExact < 2 || !result.lateJoinerExact) {
    const texts = [...clients, late].map((c) => locate(c.doc).toString())
    result.diagnosis = {
      lengths: texts.map((t) => t.length),
      expected: trace.endContent.length,
      agentsAgree: texts[0] === texts[1],
      pending: [...clients, late].map(
        (c) => (c.doc.store as unknown as { pendingStructs: unknown }).pendingStructs !== null,
      ),
    }
    context.log(`concurrent trace not exact: ${JSON.stringify(result.diagnosis)}`)
  }
  for (const client of [...clients, late]) client.destroy()
  return result
}
