/**
 * Issue 24's load: 2,000 comments and 500 open suggestions on the 120,000-word deliverable (Accord only: the peers
 * have no annotations), measured by bench/editor/manyComments.ts in a process of its own: server memory,
 * `GET /comments`, in Chromium the editor's opening and keystroke-to-screen with the comment margin against the
 * same deliverable without annotations, and a new comment reaching 300 clients connected to it.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { ScenarioReport } from '../report.ts'
import type { BenchSettings, Scenario } from './context.ts'

const run = promisify(execFile)

interface Figures {
  comments: number
  suggestions: number
  words: number
  clauses: number
  runs: number
  postSeconds: number
  serverRssMb: { beforeComments: number; afterComments: number; afterList: number; atEnd: number }
  list: { medianMs: number; maxMs: number; bytes: number }
  editableMs: { without: number; with: number }
  threadsShown: number
  keyToScreenP95Ms: { without: number; with: number }
  keyToScreenP50Ms: { without: number; with: number }
  keyToScreenFloorMs: { p50: number; p95: number }
  newComment: {
    clients: number
    comments: number
    p50Ms: number
    p99Ms: number
    maxMs: number
    missing: number
  }
  loadAverage: number[]
}

const ms = (value: number) => `${Math.round(value)} ms`

export const manyCommentsScenario: Scenario = {
  id: 'comments',
  title: '9. 2,000 comments and 500 suggestions on the 120,000-word deliverable (Accord)',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    settings.log('comments: 2,000 comments and 500 suggestions, editor opened with and without them')
    const script = path.join(import.meta.dirname, '../editor/manyComments.ts')
    // On both cores, as `npm run bench:editor` runs: the runner pins itself (and what it starts) to the load core,
    // and a browser, its server and this script on one core measure the core, not the editor.
    const { stdout } = await run(
      'taskset',
      ['-c', '0,1', process.execPath, '--import', 'tsx', script, '--runs', settings.full ? '3' : '1'],
      { timeout: 1_800_000, maxBuffer: 16 * 1024 * 1024 },
    )
    const f = JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures
    const openRatio = f.editableMs.with / f.editableMs.without
    return {
      id: 'comments',
      title: this.title,
      tables: [
        {
          title: `${f.comments} comments and ${f.suggestions} open suggestions (${f.clauses} clauses, ${f.words} words), median of ${f.runs} run(s)`,
          header: ['measure', 'without annotations', 'with the annotations', 'aim'],
          cells: [
            [
              'editor editable, last clause and margin shown',
              ms(f.editableMs.without),
              `${ms(f.editableMs.with)} (${f.threadsShown} threads drawn)`,
              `within 20%: ${openRatio <= 1.2 ? 'met' : 'not met'} (${openRatio.toFixed(2)}×)`,
            ],
            [
              'keystroke-to-screen p50 / p95',
              `${ms(f.keyToScreenP50Ms.without)} / ${ms(f.keyToScreenP95Ms.without)}`,
              `${ms(f.keyToScreenP50Ms.with)} / ${ms(f.keyToScreenP95Ms.with)}`,
              `p95 < 16 ms: ${f.keyToScreenP95Ms.with < 16 ? 'met' : 'not met'}`,
            ],
            [
              'keystroke-to-screen p50 / p95 on a bare contenteditable (the floor, same browser)',
              `${ms(f.keyToScreenFloorMs.p50)} / ${ms(f.keyToScreenFloorMs.p95)}`,
              '',
              '',
            ],
            [
              'server RSS',
              `${f.serverRssMb.beforeComments} MB`,
              `${f.serverRssMb.afterComments} MB (${f.serverRssMb.afterList} after listing)`,
              '',
            ],
            [
              'GET /comments, median (max)',
              '',
              `${ms(f.list.medianMs)} (${ms(f.list.maxMs)}), ${Math.round(f.list.bytes / 1024)} KB`,
              '',
            ],
            ['posting the 2,000 comments, 8 at a time', '', `${f.postSeconds.toFixed(1)} s`, ''],
            [
              `a new comment reaching ${f.newComment.clients} connected clients, p50 / p99 / max`,
              '',
              `${f.newComment.p50Ms.toFixed(1)} / ${f.newComment.p99Ms.toFixed(1)} / ${f.newComment.maxMs.toFixed(1)} ms over ${f.newComment.comments} comments, ${f.newComment.missing} missing`,
              `p99 < 100 ms: ${f.newComment.p99Ms < 100 && f.newComment.missing === 0 ? 'met' : 'not met'}`,
            ],
          ],
        },
      ],
      notes: [
        `Load average during the run: ${f.loadAverage.map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min) on ${
          (await import('node:os')).cpus().length
        } cores; figures from a loaded machine are not comparable with a quiet one.`,
        'Both deliverables are on the same server, opened in alternating order in fresh browser contexts; the server, Chromium and the script share both cores.',
      ],
      raw: f,
    }
  },
}
