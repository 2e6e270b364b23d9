/**
 * The lock check's cost (Accord only, in-process on the server core): per keystroke-sized update on the large
 * deliverable with half its clauses agreed, and the whole accepted path with and without it, as the document
 * grows.
 */
import { mkdtempSync } from 'node:fs'
import path from 'node:path'
import type { LockCheckSize } from '../inprocess/lockCheckLoad.ts'
import { SERVER_CORE } from '../lib/processes.ts'
import type { Summary } from '../lib/stats.ts'
import { runLoad } from '../load/runLoad.ts'
import type { ScenarioReport } from '../report.ts'
import type { BenchSettings, Scenario } from './context.ts'

const us = (s: Summary) => `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}`
const ms = (s: Summary) => `${s.p50.toFixed(2)} / ${s.p99.toFixed(2)}`

export const lockCheckScenario: Scenario = {
  id: 'lockcheck',
  title: '7. Lock check: cost per update as the document grows (Accord, in-process)',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const sizes = [
      { words: 12_000, clauses: 400 },
      { words: 120_000, clauses: 400 },
      ...(settings.full ? [{ words: 1_200_000, clauses: 400 }] : []),
    ]
    const params = {
      sizes,
      agreed: 200,
      samples: settings.full ? 6000 : 1500,
      pathSamples: settings.full ? 2000 : 600,
      followers: 10,
      dataDir: mkdtempSync(path.join(settings.runDir, 'lockcheck-')),
    }
    const results = await runLoad<LockCheckSize[]>({ kind: 'lock-check', params }, undefined, {
      core: SERVER_CORE,
    })
    const header = ['median / p99', ...results.map((r) => `${(r.words / 1000).toLocaleString('en')}k words`)]
    const line = (label: string, cell: (r: LockCheckSize) => string) => [label, ...results.map(cell)]
    return {
      id: 'lockcheck',
      title: this.title,
      tables: [
        {
          title: `${params.agreed} of 400 clauses agreed; keystroke-sized updates (µs unless stated)`,
          header,
          cells: [
            line('document size (Y.encodeStateAsUpdate, kB)', (r) => (r.documentBytes / 1024).toFixed(0)),
            line('decode (`decodeClientUpdate`)', (r) => us(r.decodeUs)),
            line('lock check: insert in an unlocked clause (accepted)', (r) =>
              us(r.lockCheckUs.insertAccepted),
            ),
            line('lock check: delete in an unlocked clause (accepted)', (r) =>
              us(r.lockCheckUs.deleteAccepted),
            ),
            line('lock check: insert in an agreed clause (refused)', (r) => us(r.lockCheckUs.insertRefused)),
            line('accepted path with the lock check: `receive` (µs)', (r) => us(r.withLock.receiveUs)),
            line('accepted path without it: `receive` (µs)', (r) => us(r.withoutLock.receiveUs)),
            line('with the lock check: until `saved`, fsync’d (ms)', (r) => ms(r.withLock.savedMs)),
            line('without it: until `saved` (ms)', (r) => ms(r.withoutLock.savedMs)),
          ],
        },
      ],
      notes: [
        '`receive` is LiveDocument.receive of one sync update: decode, checks, Y.applyUpdate, broadcast to ' +
          `${params.followers} connections, the log append queued; \`saved\` waits for its fsync (one update in flight).`,
        `${params.samples} checked updates and ${params.pathSamples} accepted-path updates per size, after a warm-up.`,
      ],
      raw: { params: { ...params, dataDir: undefined }, results },
    }
  },
}
