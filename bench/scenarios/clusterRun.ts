/**
 * The cluster scenario's measurements on two running nodes (bench/peers/twoNodes.ts): a meeting whose typists
 * are on the first node and whose followers are split between both, and the trace replay with every client on
 * the first node or on the second. Each run gets a fresh document made through the first node (Accord: which
 * then owns it); where it is measured, Accord's /api/health must show node-1 owning it and node-2 relaying, else
 * the run fails.
 */

import { coreTicks, SERVER_CORE, ticksToSeconds } from '../lib/processes.ts'
import { within } from '../lib/stats.ts'
import type { MeetingResult } from '../load/meetingLoad.ts'
import { connectRaw, type RawClient } from '../load/rawClient.ts'
import { runLoad } from '../load/runLoad.ts'
import type { TraceReplayResult } from '../load/traceLoad.ts'
import { FIRST, type NodeIndex, SECOND, type TwoNodes } from '../peers/twoNodes.ts'
import type { BenchSettings } from './context.ts'
import { meetingParams, TYPISTS } from './meetingRun.ts'
import { traceReplayParams } from './traceReplay.ts'

/** CPU seconds of each node, of Redis and of PostgreSQL between two marks, and what others took of the nodes' core. */
export interface ClusterCpu {
  /** Node 0: Accord's owner node-1, or the typists' Hocuspocus instance. */
  first: number
  /** Node 1: Accord's node-2 (relaying), or the other Hocuspocus instance. */
  second: number
  redis: number
  postgres: number
  wallSeconds: number
  othersOnServerCorePercent: number
}

class ClusterCpuWindow {
  private before = { first: 0, second: 0, redis: 0, postgres: 0, core: { busy: 0, total: 0 } }
  result: ClusterCpu | null = null

  constructor(private readonly cluster: TwoNodes) {}

  private read() {
    return {
      first: this.cluster.nodeCpuSeconds(FIRST),
      second: this.cluster.nodeCpuSeconds(SECOND),
      ...this.cluster.serviceCpuSeconds(),
      core: coreTicks(SERVER_CORE),
    }
  }

  start(): void {
    this.before = this.read()
  }

  end(): void {
    const now = this.read()
    const wall = ticksToSeconds(now.core.total - this.before.core.total)
    const first = now.first - this.before.first
    const second = now.second - this.before.second
    const busy = ticksToSeconds(now.core.busy - this.before.core.busy)
    this.result = {
      first,
      second,
      redis: now.redis - this.before.redis,
      postgres: now.postgres - this.before.postgres,
      wallSeconds: wall,
      othersOnServerCorePercent: wall > 0 ? Math.max(0, (100 * (busy - first - second)) / wall) : Number.NaN,
    }
  }
}

export interface ClusterMeetingRun extends MeetingResult {
  kind: TwoNodes['kind']
  cpu: ClusterCpu
}

/** The meeting: typists and full readers on node-1, raw followers alternately on node-1 and node-2. */
export async function clusterMeeting(
  cluster: TwoNodes,
  clients: number,
  settings: BenchSettings,
): Promise<ClusterMeetingRun> {
  const target = await cluster.newDocument({
    editors: TYPISTS,
    readers: Math.max(10, Math.ceil(clients / 20)),
  })
  const window = new ClusterCpuWindow(cluster)
  const params = {
    ...meetingParams(settings, clients),
    target,
    followerGroups: [
      { label: 'first', wsBase: cluster.wsBase(FIRST) },
      { label: 'second', wsBase: cluster.wsBase(SECOND) },
    ],
  }
  const result = await runLoad<MeetingResult>({ kind: 'meeting', params }, async (mark) => {
    if (mark === 'ready') await cluster.expectRouting(true)
    else if (mark === 'measure-start') window.start()
    else if (mark === 'measure-end') window.end()
  })
  const cpu = window.result!
  const [onFirst, onSecond] = result.groups!
  settings.log(
    `cluster meeting ${cluster.kind} N=${clients}: first p50 ${onFirst!.latency.p50.toFixed(1)} p99 ${onFirst!.latency.p99.toFixed(1)} ms, ` +
      `second p50 ${onSecond!.latency.p50.toFixed(1)} p99 ${onSecond!.latency.p99.toFixed(1)} ms, ` +
      `delivered ${result.delivered}/${result.expectedDeliveries}, cpu ${cpu.first.toFixed(2)} s / ` +
      `${cpu.second.toFixed(2)} s, others on server core ${cpu.othersOnServerCorePercent.toFixed(0)}%`,
  )
  return { ...result, kind: cluster.kind, cpu }
}

export interface ClusterTraceRun extends TraceReplayResult {
  kind: TwoNodes['kind']
  via: 'first' | 'second'
  cpu: ClusterCpu
}

/**
 * The trace replay with every client (typist, followers, late joiner) on node `via`. Through the second node, a
 * raw reader stays connected to the first meanwhile: Accord's node-1 keeps the document (else node-2, the first
 * to ask for it after it went idle, would take it), and a Hocuspocus instance 1 holds it too.
 */
export async function clusterTrace(
  cluster: TwoNodes,
  via: NodeIndex,
  settings: BenchSettings,
): Promise<ClusterTraceRun> {
  const target = await cluster.newDocument({ editors: 1, readers: 3 }, via)
  let holder: RawClient | null = null
  if (via === SECOND) {
    holder = await connectRaw({ ...target, wsBase: cluster.wsBase(FIRST) }, target.readers[0]!)
    await within(holder.synced, 30_000, 'node-1 holder synced')
  }
  const window = new ClusterCpuWindow(cluster)
  const params = { ...traceReplayParams(settings), target }
  if (!Number.isFinite(params.edits)) params.edits = 1e9
  try {
    const result = await runLoad<TraceReplayResult>({ kind: 'trace-replay', params }, async (mark) => {
      if (mark === 'measure-start') {
        await cluster.expectRouting(via === SECOND)
        window.start()
      }
      if (mark === 'measure-end') window.end()
    })
    const cpu = window.result!
    const label = via === SECOND ? 'second' : 'first'
    settings.log(
      `cluster trace replay ${cluster.kind} via node ${via + 1}: ${result.editsPerSecond.toFixed(0)} edits/s, ${result.followersExact}/` +
        `${result.followers} followers exact, cpu ${cpu.first.toFixed(1)} s / ${cpu.second.toFixed(1)} s`,
    )
    return { ...result, kind: cluster.kind, via: label, cpu }
  } finally {
    holder?.close()
  }
}
