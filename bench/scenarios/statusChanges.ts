/**
 * Status changes and new comments reaching connected clients (Accord only: the peers have neither): 300 clients
 * that said hello; the chair proposes then agrees clauses, then comments, through the API; latency from the
 * request to each client.
 */

import { runLoad } from '../load/runLoad.ts'
import type { StatusChangesResult } from '../load/statusLoad.ts'
import type { MetricRow, ScenarioReport } from '../report.ts'
import { type BenchSettings, isolated, type Scenario, ServerSampler, withPeer } from './context.ts'

const CLIENTS = 300

const accordOnly = (value: number | string): MetricRow['values'] => ({
  accord: value,
  'y-websocket': 'cannot: no consensus',
  hocuspocus: 'cannot: no consensus',
})

export const statusChangesScenario: Scenario = {
  id: 'status',
  title: `8. Status changes and new comments reaching ${CLIENTS} connected clients (Accord)`,
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const sections = settings.full ? 12 : 6
    const comments = settings.full ? 40 : 20
    const measure = () =>
      withPeer(
        'accord',
        settings,
        async (peer) => {
          // One reader session per 20 clients (Accord allows 30 sync connections per session per 10 s).
          const target = await peer.newDocument({ editors: 1, readers: Math.ceil(CLIENTS / 20) })
          const sampler = new ServerSampler(peer.pid)
          const result = await runLoad<StatusChangesResult>(
            { kind: 'status-changes', params: { target, clients: CLIENTS, sections, comments } },
            (mark) => {
              if (mark === 'measure-start') sampler.start()
              if (mark === 'measure-end') sampler.end()
            },
          )
          return { result, cpu: sampler.cpuSeconds, others: sampler.othersOnServerCorePercent }
        },
        { label: 'status' },
      )
    const { result, cpu } = await isolated(settings, measure, (r) => r.others)
    settings.log(`status changes: p99 ${result.latency.p99.toFixed(1)} ms over ${result.changes} changes`)
    settings.log(`new comments: p99 ${result.comments.p99.toFixed(1)} ms over ${comments} comments`)
    const rows: MetricRow[] = [
      {
        label: 'propose: request to each client, p50 (ms)',
        values: accordOnly(result.byAction.propose!.p50),
      },
      { label: 'propose: p99 (ms)', values: accordOnly(result.byAction.propose!.p99) },
      {
        label: 'agree (flush, lock, fsync’d decision): p50 (ms)',
        values: accordOnly(result.byAction.agree!.p50),
      },
      { label: 'agree: p99 (ms)', values: accordOnly(result.byAction.agree!.p99) },
      { label: 'all status changes: p99 (ms)', values: accordOnly(result.latency.p99) },
      { label: 'HTTP answer to the chair, p50 (ms)', values: accordOnly(result.httpMs.p50) },
      { label: 'messages missing', values: accordOnly(result.missing), digits: 0 },
      {
        label: 'new comment: request to each client, p50 (ms)',
        values: accordOnly(result.comments.p50),
      },
      {
        label: 'new comment: p99 (ms)',
        values: accordOnly(result.comments.p99),
        target: { text: 'p99 < 100 ms (issue 24)', met: result.comments.p99 < 100 },
      },
      { label: 'new comment: max (ms)', values: accordOnly(result.comments.max) },
      { label: 'comments missing', values: accordOnly(result.commentsMissing), digits: 0 },
      { label: 'server CPU (s)', values: accordOnly(cpu), digits: 2 },
    ]
    return {
      id: 'status',
      title: this.title,
      tables: [
        {
          title: `${result.changes} status changes (${sections} clauses proposed, then agreed), then ${comments} comments`,
          rows,
        },
      ],
      notes: [
        'Clients are raw sockets that said hello; each times the `consensus` message naming the clause, and the ' +
          '`annotations` message carrying the new comment (each fsync’d before it is answered and pushed).',
      ],
      raw: result,
    }
  },
}
