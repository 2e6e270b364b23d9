/** Scenario 3, concurrent trace: friendsforever by two clients in causal order; the final text on all clients. */

import { median } from '../lib/stats.ts'
import type { ConcurrentTraceResult } from '../load/concurrentLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import { PEERS, type PeerKind } from '../peers/types.ts'
import type { MetricRow, ScenarioReport } from '../report.ts'
import { type BenchSettings, isolated, peerOrder, type Scenario, ServerSampler, withPeer } from './context.ts'

interface ConcurrentRun extends ConcurrentTraceResult {
  peer: PeerKind
  serverCpuSeconds: number
  othersOnServerCorePercent: number
}

async function concurrentRun(kind: PeerKind, settings: BenchSettings): Promise<ConcurrentRun> {
  return withPeer(
    kind,
    settings,
    async (peer) => {
      const target = await peer.newDocument({ editors: 2, readers: 1 })
      const sampler = new ServerSampler(peer.pid)
      const result = await runLoad<ConcurrentTraceResult>(
        { kind: 'concurrent-trace', params: { target } },
        (mark) => {
          if (mark === 'measure-start') sampler.start()
          if (mark === 'measure-end') sampler.end()
        },
      )
      settings.log(`concurrent trace ${kind}: ${result.seconds.toFixed(1)} s, ${result.agentsExact}/2 exact`)
      return {
        ...result,
        peer: kind,
        serverCpuSeconds: sampler.cpuSeconds,
        othersOnServerCorePercent: sampler.othersOnServerCorePercent,
      }
    },
    { label: 'concurrent' },
  )
}

export const concurrentTraceScenario: Scenario = {
  id: 'concurrent',
  title: '3. Concurrent trace: friendsforever by two clients',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const runs: ConcurrentRun[] = []
    for (let repeat = 0; repeat < settings.repeats; repeat++)
      for (const peer of peerOrder(repeat + 1, settings.peers))
        runs.push(
          await isolated(
            settings,
            () => concurrentRun(peer, settings),
            (r) => r.othersOnServerCorePercent,
          ),
        )
    const numeric = (
      label: string,
      f: (r: ConcurrentRun) => number,
      better: 'lower' | 'higher',
      digits = 1,
    ) => ({
      label,
      values: Object.fromEntries(
        PEERS.map((p) => {
          const mine = runs.filter((r) => r.peer === p).map(f)
          return [p, mine.length ? median(mine) : null]
        }),
      ),
      better,
      digits,
    })
    const exact: MetricRow = {
      label: 'final text exact (agents + late joiner)',
      values: Object.fromEntries(
        PEERS.map((p) => {
          const mine = runs.filter((r) => r.peer === p)
          const text = (r: ConcurrentRun) => `${r.agentsExact}/2 + ${r.lateJoinerExact ? 1 : 0}`
          return [p, mine.length ? mine.map(text).join(', ') : null]
        }),
      ),
    }
    return {
      id: 'concurrent',
      title: this.title,
      tables: [
        {
          title: `${(runs[0]?.txns ?? 0).toLocaleString('en')} transactions, 2 agents`,
          rows: [
            exact,
            numeric('seconds until both agents hold endContent', (r) => r.seconds, 'lower'),
            numeric('transactions per second', (r) => r.txnsPerSecond, 'higher', 0),
            numeric('server CPU (s)', (r) => r.serverCpuSeconds, 'lower', 2),
            {
              label: 'other processes on the server core (%)',
              values: Object.fromEntries(
                PEERS.map((p) => {
                  const mine = runs.filter((r) => r.peer === p).map((r) => r.othersOnServerCorePercent)
                  return [p, mine.length ? median(mine) : null]
                }),
              ),
              digits: 0,
            },
          ],
        },
      ],
      notes: [
        'Each agent sends a transaction only once its client holds the transaction’s causal history, so the ' +
          'rate includes the round trips between the two clients through the server.',
      ],
      raw: { runs },
    }
  },
}
