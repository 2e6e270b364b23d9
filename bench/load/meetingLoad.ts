/**
 * The meeting: one document, N connected clients. K typists (real providers) replay slices of a real trace at
 * human speed, each in its own clause; a few full readers (real providers) check convergence; every other
 * client is a raw follower that only timestamps the updates it receives. Latency is keystroke (just before the
 * typist's local edit) to arrival at each raw follower; all clients live in this process, on one clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import { applyPatches } from '../../test/support/traces.ts'
import { Samples, type Summary, seededRandom, summarize, within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { seedIfNeeded, typingText } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw, type RawClient } from './rawClient.ts'
import { connectReal, type RealClient } from './realClient.ts'
import { traceSlices } from './typingTrace.ts'
import { KeystrokeReader, updateKey } from './wire.ts'

export interface MeetingParams {
  target: DocumentTarget
  clients: number
  typists: number
  readers: number
  durationMs: number
  /** Pause between one typist's keystrokes, drawn uniformly from this range. */
  keyIntervalMs: [number, number]
  seed: number
  connectBatch: number
  drainMs: number
  /**
   * Where the raw followers connect (a cluster's nodes): follower i to `followerGroups[i % length]`, each group's
   * latency reported apart. Default: every follower on `target.wsBase`.
   */
  followerGroups?: { label: string; wsBase: string }[]
}

/** The followers of one group and what reached them. */
export interface FollowerGroupResult {
  label: string
  followers: number
  delivered: number
  expectedDeliveries: number
  latency: Summary
}

export interface MeetingResult {
  clients: number
  followers: number
  keystrokes: number
  expectedDeliveries: number
  delivered: number
  latency: Summary
  /** Raw followers' time from opening the socket to holding the whole document. */
  joinMs: Summary
  converged: boolean
  typingMs: number
  /** Load-generator health: its CPU use and event-loop delay while typing. */
  loadGenerator: { cpuPercent: number; eventLoopP99Ms: number }
  followerCloses: number
  /** Only with `followerGroups`. */
  groups?: FollowerGroupResult[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) return false
    await sleep(20)
  }
  return true
}

export async function runMeeting(params: MeetingParams, context: JobContext): Promise<MeetingResult> {
  const { target } = params
  const slices = traceSlices('automerge-paper.json.gz', params.typists, {
    start: 1000,
    stride: 1000,
    length: 1000,
  })
  const cookie = (list: string[], i: number) => list[i % list.length] ?? ''

  // Typists first (the first one brings the skeleton where the server does not seed it), then full readers.
  const typists: RealClient[] = []
  const firstDoc = new Y.Doc()
  seedIfNeeded(target, firstDoc)
  typists.push(connectReal(target, cookie(target.editors, 0), firstDoc))
  await within(typists[0]!.synced, 30_000, 'first typist synced')
  for (let i = 1; i < params.typists; i++) typists.push(connectReal(target, cookie(target.editors, i)))
  const readers = Array.from({ length: params.readers }, (_, i) =>
    connectReal(target, cookie(target.readers, i)),
  )
  await within(
    Promise.all([...typists, ...readers].map((c) => c.synced)),
    30_000,
    'typists and readers synced',
  )
  await waitUntil(() => typists.every((t) => t.body.length > 0), 10_000)
  const texts = typists.map((t, i) => typingText(t.body, i))
  typists.forEach((t, i) => {
    t.doc.transact(() => texts[i]!.insert(0, slices[i]!.prefix))
  })
  const full = [...typists, ...readers]
  const same = () => full.every((c) => c.body.toString() === typists[0]!.body.toString())
  if (!(await waitUntil(same, 30_000))) throw new Error('clients did not converge before typing')

  // Raw followers.
  const sentAt = new Map<number, number>()
  const latencies = new Samples()
  let delivered = 0
  let followerCloses = 0
  const followerCount = Math.max(0, params.clients - params.typists - params.readers)
  const followers: RawClient[] = []
  const joins: number[] = []
  const reader = new KeystrokeReader((key) => sentAt.has(key))
  const groups = (params.followerGroups ?? [{ label: 'all', wsBase: target.wsBase }]).map((group) => ({
    ...group,
    latencies: new Samples(),
    followers: 0,
    delivered: 0,
  }))
  const onUpdateIn = (group: (typeof groups)[number]) => (frame: Uint8Array, offset: number, at: number) => {
    for (const key of reader.keys(frame, offset)) {
      const latency = at - sentAt.get(key)!
      latencies.push(latency)
      group.latencies.push(latency)
      group.delivered++
      delivered++
    }
  }
  for (let i = 0; i < followerCount; i += params.connectBatch) {
    const batch = Array.from({ length: Math.min(params.connectBatch, followerCount - i) }, async (_, j) => {
      const group = groups[(i + j) % groups.length]!
      const opened = performance.now()
      const follower = await connectRaw({ ...target, wsBase: group.wsBase }, cookie(target.readers, i + j), {
        onUpdate: onUpdateIn(group),
        onClose: () => followerCloses++,
      })
      const { at } = await within(follower.synced, 60_000, 'raw follower synced')
      joins.push(at - opened)
      followers.push(follower)
      group.followers++
    })
    await Promise.all(batch)
  }
  await context.mark('ready')
  await sleep(500)

  // Typing at human speed.
  let capturing = false
  let t0 = 0
  for (const typist of typists) {
    typist.doc.on('update', (update: Uint8Array) => {
      if (!capturing) return
      const key = updateKey(update)
      if (key !== null) sentAt.set(key, t0)
    })
  }
  const loop = monitorEventLoopDelay({ resolution: 5 })
  await context.mark('measure-start')
  const cpuBefore = process.cpuUsage()
  const typingStarted = performance.now()
  loop.enable()
  let keystrokes = 0
  await Promise.all(
    typists.map(async (typist, i) => {
      const random = seededRandom(params.seed + i)
      const [low, high] = params.keyIntervalMs
      await sleep(random() * high)
      for (const patches of slices[i]!.txns) {
        if (performance.now() - typingStarted > params.durationMs) break
        t0 = performance.now()
        capturing = true
        typist.doc.transact(() => applyPatches(texts[i]!, patches, true))
        capturing = false
        keystrokes++
        await sleep(low + random() * (high - low))
      }
    }),
  )
  const typingMs = performance.now() - typingStarted
  const expectedDeliveries = sentAt.size * followers.length
  await waitUntil(() => delivered >= expectedDeliveries, params.drainMs)
  loop.disable()
  const cpu = process.cpuUsage(cpuBefore)
  const wallMs = performance.now() - typingStarted
  const closesWhileMeasuring = followerCloses
  await context.mark('measure-end')

  const converged = await waitUntil(same, 15_000)
  for (const client of full) client.destroy()
  for (const follower of followers) follower.close()
  const groupResults = params.followerGroups
    ? groups.map((group) => ({
        label: group.label,
        followers: group.followers,
        delivered: group.delivered,
        expectedDeliveries: sentAt.size * group.followers,
        latency: summarize(group.latencies.values()),
      }))
    : undefined
  return {
    clients: params.clients,
    followers: followers.length,
    keystrokes,
    expectedDeliveries,
    delivered,
    latency: summarize(latencies.values()),
    joinMs: summarize(joins),
    converged,
    typingMs,
    loadGenerator: {
      cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      // The histogram records whole timer intervals: subtract the 5 ms resolution to get the lag.
      eventLoopP99Ms: loop.percentile(99) / 1e6 - 5,
    },
    followerCloses: closesWhileMeasuring,
    ...(groupResults ? { groups: groupResults } : {}),
  }
}
