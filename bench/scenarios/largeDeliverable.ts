/**
 * Scenario 4, the large deliverable (120,000 words in 400 clauses, test/support/largeDeliverable.ts): what a new
 * client's initial sync costs, the server's memory per loaded document, and (Accord, the only peer that
 * stores) the cold load after a restart.
 */

import { memoryUse } from '../lib/processes.ts'
import { median } from '../lib/stats.ts'
import type { LargeDocumentParams, LargeDocumentResult } from '../load/largeDocumentLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import { PEERS, type PeerKind, type PeerServer } from '../peers/types.ts'
import type { CellValue, MetricRow, ScenarioReport } from '../report.ts'
import { type BenchSettings, peerOrder, type Scenario, withPeer } from './context.ts'

interface LargeRun {
  peer: PeerKind
  documents: number
  written: LargeDocumentResult
  memoryPerDocumentMb: number
  cold?: { restartMs: number; result: LargeDocumentResult; memoryPerDocumentMb: number }
}

const WORDS = 120_000
const CLAUSES = 400

async function loadDocuments(
  peer: PeerServer,
  params: LargeDocumentParams,
): Promise<{ result: LargeDocumentResult; memoryPerDocumentMb: number }> {
  let before = 0
  let after = 0
  const result = await runLoad<LargeDocumentResult>({ kind: 'large-document', params }, (mark) => {
    if (mark === 'before-load') before = memoryUse(peer.pid).rssMb
    if (mark === 'all-loaded') after = memoryUse(peer.pid).rssMb
  })
  return { result, memoryPerDocumentMb: (after - before) / params.targets.length }
}

async function largeRun(kind: PeerKind, settings: BenchSettings): Promise<LargeRun> {
  return withPeer(
    kind,
    settings,
    async (peer) => {
      const documents = settings.full ? 5 : 3
      const targets = []
      for (let i = 0; i < documents; i++) targets.push(await peer.newDocument({ editors: 1, readers: 1 }))
      const params = { targets, write: true, words: WORDS, clauses: CLAUSES, joins: settings.full ? 9 : 5 }
      const written = await loadDocuments(peer, params)
      const run: LargeRun = {
        peer: kind,
        documents,
        written: written.result,
        memoryPerDocumentMb: written.memoryPerDocumentMb,
      }
      if (kind === 'accord') {
        const restartMs = await peer.restart()
        const cold = await loadDocuments(peer, { ...params, write: false })
        run.cold = { restartMs, ...cold }
      }
      settings.log(
        `large deliverable ${kind}: join ${written.result.joinMs.toFixed(0)} ms / ` +
          `${(written.result.joinBytes / 1024).toFixed(0)} kB, ${written.memoryPerDocumentMb.toFixed(1)} MB per doc`,
      )
      return run
    },
    { label: 'large' },
  )
}

export const largeDeliverableScenario: Scenario = {
  id: 'large',
  title: '4. Large deliverable: 120,000 words in 400 clauses',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const runs: LargeRun[] = []
    for (let repeat = 0; repeat < settings.repeats; repeat++)
      for (const peer of peerOrder(repeat, settings.peers)) runs.push(await largeRun(peer, settings))
    const values = (
      f: (r: LargeRun) => number | undefined,
      cannot?: string,
    ): Partial<Record<PeerKind, CellValue>> =>
      Object.fromEntries(
        PEERS.map((p) => {
          const mine = runs.filter((r) => r.peer === p).map(f)
          if (mine.length === 0) return [p, null]
          if (mine.some((v) => v === undefined)) return [p, cannot ?? null]
          return [p, median(mine as number[])]
        }),
      )
    const noStorage = 'cannot: in memory only'
    const rows: MetricRow[] = [
      {
        label: 'document update written by the client (kB)',
        values: values((r) => r.written.updateBytes / 1024),
        digits: 0,
      },
      {
        label: 'new client’s initial sync: bytes received (kB)',
        values: values((r) => r.written.joinBytes / 1024),
        better: 'lower',
        digits: 0,
      },
      {
        label: 'new client’s initial sync: raw client (ms)',
        values: values((r) => r.written.joinMs),
        better: 'lower',
      },
      {
        label: 'new client’s initial sync: real provider, own decoding included (ms)',
        values: values((r) => r.written.providerJoinMs),
        better: 'lower',
      },
      {
        label: 'server memory per loaded document, after writing (MB RSS)',
        values: values((r) => r.memoryPerDocumentMb),
        better: 'lower',
      },
      {
        label: 'server cold load: first client’s sync after a restart (ms)',
        values: values((r) => (r.cold ? median(r.cold.result.firstJoinMs) : undefined), noStorage),
      },
      {
        label: 'server memory per cold-loaded document (MB RSS)',
        values: values((r) => r.cold?.memoryPerDocumentMb, noStorage),
      },
    ]
    return {
      id: 'large',
      title: this.title,
      tables: [{ title: `${runs[0]?.documents ?? 0} such documents per server`, rows }],
      notes: [
        'Accord: a deliverable made through the API (its skeleton seeded by the server), the 400 clauses ' +
          'appended by a real client; the peers get the same skeleton and clauses from the client.',
        'Memory is the growth of the server’s resident set over the loaded documents, divided by their number ' +
          '(garbage not yet collected included).',
      ],
      raw: { runs },
    }
  },
}
