/**
 * Followers of a meeting (issue 23): N raw clients of one deliverable while one editor types; on Accord the chair
 * moves "Now discussing" through the clauses during the typing. Latency from the chair's request to every follower
 * having the new clause, and the typing latency to the followers on every server (the peers have no meetings:
 * they carry the same typing to the same followers). Each move is pushed at once and made durable before the chair
 * is answered (docs/API.md "The meeting in progress"): the chair's HTTP time includes that fsync, the followers'
 * figures do not.
 */
import type { MeetingFollowResult } from '../load/followLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import { FLOOR, type PeerKind } from '../peers/types.ts'
import type { MetricRow, ScenarioReport } from '../report.ts'
import { type BenchSettings, isolated, peerOrder, type Scenario, ServerSampler, withPeer } from './context.ts'

const cannot = 'cannot: no meetings'

interface FollowRun extends MeetingFollowResult {
  cpuSeconds: number
  othersOnServerCorePercent: number
}

async function followRun(
  kind: PeerKind,
  settings: BenchSettings,
  followers: number,
  moves: number,
): Promise<FollowRun> {
  const measure = () =>
    withPeer(
      kind,
      settings,
      async (peer) => {
        // One reader session per 20 followers (Accord allows 30 sync connections per session per 10 s).
        const target = await peer.newDocument({ editors: 1, readers: Math.ceil(followers / 20) })
        const sampler = new ServerSampler(peer.pid)
        const result = await runLoad<MeetingFollowResult>(
          {
            kind: 'meeting-follow',
            params: {
              target,
              followers,
              moves: kind === 'accord' ? moves : 0,
              typingMs: moves * 300,
              keyIntervalMs: [40, 80],
              seed: 20260309,
            },
          },
          (mark) => {
            if (mark === 'measure-start') sampler.start()
            if (mark === 'measure-end') sampler.end()
          },
        )
        return {
          ...result,
          cpuSeconds: sampler.cpuSeconds,
          othersOnServerCorePercent: sampler.othersOnServerCorePercent,
        }
      },
      { label: `follow-${followers}` },
    )
  return isolated(settings, measure, (r) => r.othersOnServerCorePercent)
}

export const meetingFollowScenario: Scenario = {
  id: 'follow',
  title: '9. Meeting followers: the chair moves the clause under discussion while an editor types',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const sizes = settings.full ? [1000, 3000] : [1000]
    const moves = settings.full ? 40 : 20
    const servers = settings.peers.filter((p) => p !== FLOOR)
    const tables = []
    const raw: Record<number, Partial<Record<PeerKind, FollowRun>>> = {}
    for (const followers of sizes) {
      const runs: Partial<Record<PeerKind, FollowRun>> = {}
      for (const kind of peerOrder(0, servers)) {
        const run = await followRun(kind, settings, followers, moves)
        runs[kind] = run
        settings.log(
          `follow ${followers} ${kind}: ${run.latency ? `moves p99 ${run.latency.p99.toFixed(1)} ms, ` : ''}` +
            `typing p99 ${run.typing.p99.toFixed(1)} ms, ${run.typingDelivered}/${run.typingExpected} delivered`,
        )
      }
      raw[followers] = runs
      const accord = runs.accord
      const meetingRow = (label: string, value: (r: FollowRun) => number | null, digits = 1): MetricRow => ({
        label,
        values: {
          accord: accord ? value(accord) : null,
          'y-websocket': runs['y-websocket'] ? cannot : null,
          hocuspocus: runs.hocuspocus ? cannot : null,
        },
        digits,
      })
      const everyRow = (
        label: string,
        value: (r: FollowRun) => number,
        digits = 1,
        better?: 'lower',
      ): MetricRow => ({
        label,
        values: Object.fromEntries(servers.map((p) => [p, runs[p] ? value(runs[p]!) : null])),
        digits,
        ...(better ? { better } : {}),
      })
      tables.push({
        title: `${followers} followers, one editor typing, ${moves} moves of the clause (Accord)`,
        rows: [
          meetingRow('chair request to every follower: p50 (ms)', (r) => r.latency?.p50 ?? null),
          meetingRow('p99 (ms)', (r) => r.latency?.p99 ?? null),
          meetingRow('max (ms)', (r) => r.latency?.max ?? null),
          meetingRow('HTTP answer to the chair, p50 (ms)', (r) => r.httpMs?.p50 ?? null),
          meetingRow('followers counted by the server', (r) => r.countedFollowers, 0),
          meetingRow('messages missing', (r) => r.missing, 0),
          everyRow('typing to every follower: p50 (ms)', (r) => r.typing.p50),
          everyRow('typing p99 (ms)', (r) => r.typing.p99, 1, 'lower'),
          everyRow('typing max (ms)', (r) => r.typing.max),
          everyRow(
            'keystrokes delivered (%)',
            (r) => (100 * r.typingDelivered) / Math.max(1, r.typingExpected),
            2,
          ),
          everyRow('server CPU over the measurement (s)', (r) => r.cpuSeconds, 2),
          everyRow('other processes on the server core (%)', (r) => r.othersOnServerCorePercent, 0),
        ],
      })
    }
    return {
      id: 'follow',
      title: this.title,
      tables,
      notes: [
        'Followers are raw sockets; on Accord they said hello and sent `{kind: "follow", following: true}`, and ' +
          'each times the `meeting` message naming the new clause. One editor (a real y-websocket client) types ' +
          'a character every 40–80 ms for the whole measurement; on Accord the moves are spread over it (one ' +
          'every 300 ms). The peers have no meetings: the same typing reaches the same followers. Aim (issue 23): ' +
          'moves p99 under 50 ms at 1,000 followers, under 100 ms at 3,000 (full run).',
      ],
      raw,
    }
  },
}
