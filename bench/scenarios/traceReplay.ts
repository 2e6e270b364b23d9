/**
 * Scenario 2, trace replay: automerge-paper typed by one client as fast as each server takes it, with
 * followers; edits per second end to end, and every follower must end with exactly the trace's text. Accord's
 * data directory is kept (server stopped) for the storage scenario.
 */

import { median } from '../lib/stats.ts'
import { runLoad } from '../load/runLoad.ts'
import type { TraceReplayParams, TraceReplayResult } from '../load/traceLoad.ts'
import { PEERS, type PeerKind } from '../peers/types.ts'
import type { MetricRow, ScenarioReport } from '../report.ts'
import {
  type BenchSettings,
  isolated,
  peerOrder,
  type Scenario,
  ServerSampler,
  type SharedFigures,
  withPeer,
} from './context.ts'

interface TraceRun extends TraceReplayResult {
  peer: PeerKind
  serverCpuSeconds: number
  peakRssMb: number
  othersOnServerCorePercent: number
}

export function traceReplayParams(settings: BenchSettings): Omit<TraceReplayParams, 'target'> {
  return settings.full
    ? { edits: Number.POSITIVE_INFINITY, followers: 20, window: 4000 }
    : { edits: 40_000, followers: 5, window: 4000 }
}

export async function traceRun(
  kind: PeerKind,
  settings: BenchSettings,
  shared: SharedFigures,
): Promise<TraceRun> {
  const keep = kind === 'accord' && !shared.accordTraceReplay
  return withPeer(
    kind,
    settings,
    async (peer) => {
      const target = await peer.newDocument({ editors: 1, readers: 3 })
      const sampler = new ServerSampler(peer.pid)
      const params = { ...traceReplayParams(settings), target }
      if (!Number.isFinite(params.edits)) params.edits = 1e9
      const result = await runLoad<TraceReplayResult>({ kind: 'trace-replay', params }, (mark) => {
        if (mark === 'measure-start') sampler.start()
        if (mark === 'measure-end') sampler.end()
      })
      settings.log(
        `trace replay ${kind}: ${result.editsPerSecond.toFixed(0)} edits/s, ${result.followersExact}/` +
          `${result.followers} followers exact, cpu ${sampler.cpuSeconds.toFixed(1)} s`,
      )
      if (keep) {
        await peer.stop()
        shared.accordTraceReplay = {
          peer,
          target,
          encodedStateBytes: result.encodedStateBytes,
          edits: result.edits,
        }
      }
      return {
        ...result,
        peer: kind,
        serverCpuSeconds: sampler.cpuSeconds,
        peakRssMb: sampler.peakRssMb,
        othersOnServerCorePercent: sampler.othersOnServerCorePercent,
      }
    },
    { keep, label: 'trace' },
  )
}

export const traceReplayScenario: Scenario = {
  id: 'trace',
  title: '2. Trace replay: automerge-paper as fast as the server accepts',
  async run(settings: BenchSettings, shared: SharedFigures): Promise<ScenarioReport> {
    const runs: TraceRun[] = []
    for (let repeat = 0; repeat < settings.repeats; repeat++)
      for (const peer of peerOrder(repeat, settings.peers))
        runs.push(
          await isolated(
            settings,
            () => traceRun(peer, settings, shared),
            (r) => r.othersOnServerCorePercent,
          ),
        )
    const pick = (peer: PeerKind, f: (r: TraceRun) => number | null) => {
      const values = runs.filter((r) => r.peer === peer).map(f)
      return values.length && values.every((v) => v !== null) ? median(values as number[]) : null
    }
    const row = (
      label: string,
      f: (r: TraceRun) => number | null,
      better?: 'lower' | 'higher',
      digits = 0,
    ): MetricRow => ({
      label,
      values: Object.fromEntries(PEERS.map((p) => [p, pick(p, f)])),
      digits,
      ...(better ? { better } : {}),
    })
    const rate = row('edits per second, end to end', (r) => r.editsPerSecond, 'higher')
    const ours = rate.values.accord
    const best = Math.max(...PEERS.slice(1).map((p) => Number(rate.values[p] ?? 0)))
    rate.target = { text: '≥ 1.0× best peer', met: typeof ours === 'number' ? ours >= best : null }
    const durable: MetricRow = {
      label: 'edits per second until fsync’d and acknowledged',
      values: {
        accord: pick('accord', (r) => (r.durableSeconds ? r.edits / r.durableSeconds : null)),
        'y-websocket': 'cannot: no durability',
        hocuspocus: 'cannot: no storage by default',
      },
      digits: 0,
    }
    const exact: MetricRow = {
      label: 'followers (+ late joiner) with exactly the expected text',
      values: Object.fromEntries(
        PEERS.map((p) => {
          const mine = runs.filter((r) => r.peer === p)
          const text = (r: TraceRun) =>
            `${r.followersExact}/${r.followers}${r.lateJoinerExact ? ' + 1' : ' + 0'}`
          return [p, mine.length ? mine.map(text).join(', ') : null]
        }),
      ),
    }
    const edits = runs[0]?.edits ?? 0
    return {
      id: 'trace',
      title: this.title,
      tables: [
        {
          title: `${edits.toLocaleString('en')} edits, ${traceReplayParams(settings).followers} followers`,
          rows: [
            rate,
            durable,
            row('seconds, end to end', (r) => r.seconds, 'lower', 1),
            exact,
            row('server CPU (s)', (r) => r.serverCpuSeconds, 'lower', 1),
            row('server CPU per edit (µs)', (r) => (r.serverCpuSeconds / r.edits) * 1e6, 'lower'),
            row('server peak RSS (MB)', (r) => r.peakRssMb, 'lower'),
            row('load generator CPU (%)', (r) => r.loadGeneratorCpuPercent),
            row('other processes on the server core (%)', (r) => r.othersOnServerCorePercent),
          ],
        },
      ],
      notes: [
        'The typist (its edits made before measuring, sent one sync update each) stays at most 4,000 edits ahead ' +
          'of the slowest follower; followers are raw clients, the first verified by applying its stream, the ' +
          'others by a byte-identical stream, plus a real provider joining afterwards.',
        'Accord acknowledges each update with `saved` once it is fsync’d; the end-to-end rate does not wait for it.',
      ],
      raw: { runs },
    }
  },
}
