/**
 * Followers of a meeting (Accord only: the peers have no meetings): N raw clients follow the meeting in progress;
 * the chair moves "Now discussing" through the clauses; latency from the chair's request to every follower having
 * the new clause, and the server's CPU. Each move is made durable before it is pushed (docs/API.md "The meeting in
 * progress"), so the figures include that fsync.
 */
import type { MeetingFollowResult } from '../load/followLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import type { MetricRow, ScenarioReport } from '../report.ts'
import { type BenchSettings, isolated, type Scenario, ServerSampler, withPeer } from './context.ts'

const cannot = 'cannot: no meetings'

export const meetingFollowScenario: Scenario = {
  id: 'follow',
  title: '9. Meeting followers: the chair moves the clause under discussion (Accord)',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const sizes = settings.full ? [1000, 3000] : [1000]
    const moves = settings.full ? 40 : 20
    const tables = []
    const raw: Record<number, unknown> = {}
    for (const followers of sizes) {
      const measure = () =>
        withPeer(
          'accord',
          settings,
          async (peer) => {
            // One observer session per 20 followers (Accord allows 30 sync connections per session per 10 s).
            const target = await peer.newDocument({ editors: 1, readers: Math.ceil(followers / 20) })
            const sampler = new ServerSampler(peer.pid)
            const result = await runLoad<MeetingFollowResult>(
              { kind: 'meeting-follow', params: { target, followers, moves } },
              (mark) => {
                if (mark === 'measure-start') sampler.start()
                if (mark === 'measure-end') sampler.end()
              },
            )
            return { result, cpu: sampler.cpuSeconds, others: sampler.othersOnServerCorePercent }
          },
          { label: `follow-${followers}` },
        )
      const { result, cpu, others } = await isolated(settings, measure, (r) => r.others)
      settings.log(`follow ${followers}: p99 ${result.latency.p99.toFixed(1)} ms over ${result.moves} moves`)
      raw[followers] = { ...result, cpuSeconds: cpu, othersOnServerCorePercent: others }
      const row = (label: string, value: number, digits = 1): MetricRow => ({
        label,
        values: { accord: value, 'y-websocket': cannot, hocuspocus: cannot },
        digits,
      })
      tables.push({
        title: `${followers} followers, ${result.moves} moves of the clause`,
        rows: [
          row('chair request to every follower: p50 (ms)', result.latency.p50),
          row('p99 (ms)', result.latency.p99),
          row('max (ms)', result.latency.max),
          row('HTTP answer to the chair, p50 (ms)', result.httpMs.p50),
          row('followers counted by the server', result.countedFollowers, 0),
          row('messages missing', result.missing, 0),
          row('server CPU over the moves (s)', cpu, 2),
          row('other processes on the server core (%)', others, 0),
        ],
      })
    }
    return {
      id: 'follow',
      title: this.title,
      tables,
      notes: [
        'Followers are raw sockets that said hello and sent `{kind: "follow", following: true}`; each times the ' +
          '`meeting` message naming the new clause. Aim (issue 23): p99 under 50 ms at 1,000 followers, under ' +
          '100 ms at 3,000 (full run).',
      ],
      raw,
    }
  },
}
