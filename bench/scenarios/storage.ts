/**
 * Scenario 5, storage (Accord only: the peers keep documents in memory): bytes on disk after the trace replay
 * against the size of `Y.encodeStateAsUpdate`, as left and right after a compaction (a restart with
 * COMPACT_AFTER_BYTES=1 and one keystroke), then the restart with 200 documents on disk.
 */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { isDocumentDataFile } from '../../server/storage/documentLayout.ts'
import { memoryUse } from '../lib/processes.ts'
import type { LargeDocumentResult } from '../load/largeDocumentLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import type { CellValue, MetricRow, ScenarioReport } from '../report.ts'
import type { BenchSettings, Scenario, SharedFigures } from './context.ts'
import { traceRun } from './traceReplay.ts'

const DOCUMENTS = 200
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function bytesOnDisk(dataDir: string, docId: string): { total: number; files: Record<string, number> } {
  const dir = path.join(dataDir, 'docs', docId)
  const files: Record<string, number> = {}
  for (const name of readdirSync(dir).filter(isDocumentDataFile))
    files[name] = statSync(path.join(dir, name)).size
  return { total: Object.values(files).reduce((a, b) => a + b, 0), files }
}

const accordOnly = (value: CellValue): MetricRow['values'] => ({
  accord: value,
  'y-websocket': 'cannot: in memory only',
  hocuspocus: 'cannot: no storage by default',
})

export const storageScenario: Scenario = {
  id: 'storage',
  title: '5. Storage: bytes on disk and restart',
  async run(settings: BenchSettings, shared: SharedFigures): Promise<ScenarioReport> {
    if (!shared.accordTraceReplay) await traceRun('accord', settings, shared)
    const { peer, target, edits } = shared.accordTraceReplay!
    const dataDir = peer.dataDir!
    const asLeft = bytesOnDisk(dataDir, target.name)

    // A compaction now: a restart with the smallest threshold, and one keystroke.
    await peer.restart({ env: { COMPACT_AFTER_BYTES: '1' } })
    const { encodedStateBytes } = await runLoad<{ encodedStateBytes: number }>({
      kind: 'touch',
      params: { target },
    })
    let compacted = bytesOnDisk(dataDir, target.name)
    for (
      let i = 0;
      i < 100 && !('snapshot.bin' in compacted.files && Object.keys(compacted.files).length <= 2);
      i++
    ) {
      await sleep(50)
      compacted = bytesOnDisk(dataDir, target.name)
    }
    const ratio = compacted.total / encodedStateBytes

    // 200 documents on disk: the trace's and 199 new deliverables.
    await peer.restart({})
    const targets = [target]
    // Opened one after another by raw clients: one reader session per 20 documents, as Accord allows 30
    // connections per session per 10 s.
    while (targets.length < DOCUMENTS)
      targets.push(await peer.newDocument({ editors: 0, readers: 1 + Math.floor(targets.length / 20) }))
    const restartMs = await peer.restart({})
    let rssBefore = 0
    let rssAfter = 0
    const opened = await runLoad<LargeDocumentResult>(
      { kind: 'large-document', params: { targets, write: false, words: 0, clauses: 0, joins: 0 } },
      (mark) => {
        if (mark === 'before-load') rssBefore = memoryUse(peer.pid).rssMb
        if (mark === 'all-loaded') rssAfter = memoryUse(peer.pid).rssMb
      },
    )
    const openAllMs = opened.firstJoinMs.reduce((a, b) => a + b, 0)
    settings.log(
      `storage: ${compacted.total} B on disk after compaction, ${ratio.toFixed(2)}× the encoded state`,
    )
    await peer.stop()

    const rows: MetricRow[] = [
      { label: 'Y.encodeStateAsUpdate of the document (kB)', values: accordOnly(encodedStateBytes / 1024) },
      {
        label: `on disk after the ${edits.toLocaleString('en')}-edit replay, as left (kB)`,
        values: accordOnly(asLeft.total / 1024),
      },
      { label: '… ÷ encoded state', values: accordOnly(asLeft.total / encodedStateBytes), digits: 2 },
      { label: 'on disk right after a compaction (kB)', values: accordOnly(compacted.total / 1024) },
      {
        label: '… ÷ encoded state',
        values: accordOnly(ratio),
        digits: 2,
        target: { text: '≤ 1.5×', met: ratio <= 1.5 },
      },
      {
        label: `restart with ${DOCUMENTS} documents on disk: until it answers (ms)`,
        values: accordOnly(restartMs),
        digits: 0,
      },
      {
        label: 'then the first client’s sync of the replayed document (ms)',
        values: accordOnly(opened.firstJoinMs[0]!),
      },
      {
        label: `then opening all ${DOCUMENTS} documents one by one (s)`,
        values: accordOnly(openAllMs / 1000),
        digits: 2,
      },
      {
        label: `memory for ${DOCUMENTS} loaded documents (MB RSS)`,
        values: accordOnly(rssAfter - rssBefore),
        digits: 0,
      },
    ]
    return {
      id: 'storage',
      title: this.title,
      tables: [{ title: 'Accord’s document storage (snapshot + update logs, fsync’d)', rows }],
      notes: [
        `Files as left: ${JSON.stringify(asLeft.files)}; after compaction: ${JSON.stringify(compacted.files)}.`,
        'Documents load lazily: a restart reads only the metadata; each document is read on its first connection.',
      ],
      raw: {
        asLeft,
        compacted,
        encodedStateBytes,
        restartMs,
        firstJoinMs: opened.firstJoinMs,
        rssBefore,
        rssAfter,
      },
    }
  },
}
