/**
 * The update checks' cost (Accord only, in-process on the server core): per keystroke-sized update on the large
 * deliverable with half its clauses agreed, the whole `UpdateChecker.check` and each of its steps (the lock check
 * among them), and the whole accepted path of a live document with and without agreed clauses, as the document
 * grows from 12,000 to 1.2 million words.
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
const percent = (part: Summary, whole: Summary) =>
  `${((100 * part.p50) / whole.p50).toFixed(1)}% / ${((100 * part.p99) / whole.p99).toFixed(1)}%`

/** The lock check's share of the accepted path (medians) must stay under this. */
const SHARE_AIM_PERCENT = 20
/** "Flat": the lock check's median at the largest size within this factor of the smallest's (100× the words). */
const FLAT_FACTOR = 2

export const lockCheckScenario: Scenario = {
  id: 'lockcheck',
  title: '7. Update checks: cost per update as the document grows (Accord, in-process)',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    // The 1.2M-word document takes half a minute to build: fewer samples on it in the quick run.
    const sizes = [
      { words: 12_000, clauses: 400 },
      { words: 120_000, clauses: 400 },
      settings.full
        ? { words: 1_200_000, clauses: 400 }
        : { words: 1_200_000, clauses: 400, samples: 900, pathSamples: 400 },
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
    const share = (r: LockCheckSize) => (100 * r.accepted.lockUs.p50) / r.withLock.acceptedUs.p50
    const shareMet = results.every((r) => share(r) < SHARE_AIM_PERCENT)
    const first = results[0]!
    const last = results[results.length - 1]!
    const growth = last.accepted.lockUs.p50 / first.accepted.lockUs.p50
    const flat = growth <= FLAT_FACTOR
    const met = (ok: boolean) => (ok ? '**met**' : '**not met**')
    return {
      id: 'lockcheck',
      title: this.title,
      tables: [
        {
          title: `${params.agreed} of 400 clauses agreed; keystroke-sized updates (µs unless stated)`,
          header,
          cells: [
            line('document size (Y.encodeStateAsUpdate, kB)', (r) => (r.documentBytes / 1024).toFixed(0)),
            line('decode alone (`decodeClientUpdate`, the step normalization replaced)', (r) =>
              us(r.decodeUs),
            ),
            line('normalization (`normalizeUpdate`)', (r) => us(r.accepted.normalizeUs)),
            line('struct count (`countStructs`, before decoding) and permission', (r) =>
              us(r.accepted.sizePermissionUs),
            ),
            line('client ownership', (r) => us(r.accepted.ownershipUs)),
            line('causality', (r) => us(r.accepted.causalityUs)),
            line('integration plan (`planIntegration`)', (r) => us(r.accepted.integrationUs)),
            line('nesting (on the plan)', (r) => us(r.accepted.nestingUs)),
            line('new steps together: struct count, normalization, ownership, plan, nesting', (r) =>
              us(r.accepted.newStepsUs),
            ),
            line('lock check: insert in an unlocked clause (accepted)', (r) =>
              us(r.costs.insertAccepted.lockUs),
            ),
            line('lock check: delete in an unlocked clause (accepted)', (r) =>
              us(r.costs.deleteAccepted.lockUs),
            ),
            line('lock check: insert in an agreed clause (refused)', (r) => us(r.costs.insertRefused.lockUs)),
            line('whole `UpdateChecker.check`: insert, accepted', (r) => us(r.costs.insertAccepted.checkUs)),
            line('whole `UpdateChecker.check`: delete, accepted', (r) => us(r.costs.deleteAccepted.checkUs)),
            line('whole `UpdateChecker.check`: insert in an agreed clause, refused', (r) =>
              us(r.costs.insertRefused.checkUs),
            ),
            line('lock check ÷ whole check (accepted keystrokes)', (r) =>
              percent(r.accepted.lockUs, r.accepted.checkUs),
            ),
            line('accepted path, agreed clauses: `receive` (µs)', (r) => us(r.withLock.receiveUs)),
            line('accepted path, agreed clauses: `receive` + send and append (µs)', (r) =>
              us(r.withLock.acceptedUs),
            ),
            line('accepted path, no agreed clause: `receive` (µs)', (r) => us(r.withoutLock.receiveUs)),
            line('accepted path, no agreed clause: `receive` + send and append (µs)', (r) =>
              us(r.withoutLock.acceptedUs),
            ),
            line(`lock check ÷ accepted path, agreed clauses (aim < ${SHARE_AIM_PERCENT}%)`, (r) =>
              percent(r.accepted.lockUs, r.withLock.acceptedUs),
            ),
            line(
              'lock check median ÷ the 12k document’s',
              (r) => `${(r.accepted.lockUs.p50 / first.accepted.lockUs.p50).toFixed(2)}×`,
            ),
            line('agreed clauses: until `saved`, fsync’d (ms)', (r) => ms(r.withLock.savedMs)),
            line('no agreed clause: until `saved` (ms)', (r) => ms(r.withoutLock.savedMs)),
          ],
        },
      ],
      notes: [
        `Aim: the lock check under ${SHARE_AIM_PERCENT}% of the accepted path (medians): ${met(shareMet)} ` +
          `(${results.map((r) => `${share(r).toFixed(1)}%`).join(', ')}). Flat from ` +
          `${first.words.toLocaleString('en')} to ${last.words.toLocaleString('en')} words (median within ` +
          `${FLAT_FACTOR}×): ${met(flat)} (${growth.toFixed(2)}×).`,
        'Steps are timed one by one on each update, in the pipeline’s order, after the whole check of the same ' +
          'update (and with a DocumentTree of their own, as cold as the checker’s); rows other than the lock ' +
          'check pool accepted inserts and deletes. The lock check is timed on the integration plan already made.',
        '`receive` is LiveDocument.receive of one sync update: struct count, normalization, checks, ' +
          'Y.applyUpdate, the update queued; “+ send and append” adds the outbox’s next turn (one frame to ' +
          `each of ${params.followers} fake sockets, which cost nothing to write, and the log append queued); ` +
          '`saved` waits for its fsync (one update in flight).',
        `${results.map((r) => `${r.samples}`).join(' / ')} checked updates and ` +
          `${results.map((r) => `${r.pathSamples}`).join(' / ')} accepted-path updates per size, after a warm-up.`,
      ],
      raw: { params: { ...params, dataDir: undefined }, results },
    }
  },
}
