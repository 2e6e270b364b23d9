/**
 * Export of the 120,000-word deliverable (test/support/largeDeliverable.ts) to .docx, to .docx with revision
 * marks (against the state before a word changed in every tenth paragraph) and to PDF: time, peak memory of the
 * exporting process, and the longest event-loop stall during the export. Each kind runs in a fresh process of its
 * own (exportLargeRun.ts), which starts and warms the export worker as `npm start` does (timed apart), then
 * exports twice: the first export of the deliverable, and a second as every later one. Then other clients' keystroke latency during exports, against the same server idle (exportLatencyLoad.ts):
 * Accord as shipped, pinned to its core, the clients on the other.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Summary } from '../lib/stats.ts'
import type { ExportLatencyParams, ExportLatencyResult } from '../load/exportLatencyLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import type { PlainTable, ScenarioReport } from '../report.ts'
import { type BenchSettings, type Scenario, withPeer } from './context.ts'

const run = promisify(execFile)
const KINDS = ['docx', 'marks', 'pdf'] as const
const TARGET_MS: Record<(typeof KINDS)[number], number | null> = { docx: 1000, marks: 2000, pdf: null }

interface ExportRound {
  ms: number
  /** CPU time of the exporting process, all its threads (LibreOffice's not included). */
  cpuMs: number
  maxStallMs: number
  bytes: number
}

interface ExportFigures {
  kind: (typeof KINDS)[number]
  /** Starting and warming the export worker, as `npm start` does when the server starts listening. */
  workerStartMs: number
  first: ExportRound
  next: ExportRound
  rssBeforeMb: number
  peakRssMb: number
}

async function measure(kind: string): Promise<ExportFigures> {
  const script = path.join(import.meta.dirname, 'exportLargeRun.ts')
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, kind], {
    timeout: 300_000,
    maxBuffer: 1024 * 1024,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ExportFigures
}

function timeCell(ms: number, target: number | null): string {
  return `${Math.round(ms)} ms${target ? ` (aim < ${target} ms: ${ms < target ? 'met' : 'not met'})` : ''}`
}

function exportTable(figures: ExportFigures[]): PlainTable {
  return {
    title: 'Export time, peak memory and event-loop stall',
    header: [
      'export',
      'export worker start (at server start)',
      'first export',
      'next export',
      'CPU time of the server process (first / next)',
      'peak RSS of the server process',
      'longest event-loop stall (first / next)',
      'file',
    ],
    cells: figures.map((f) => [
      f.kind,
      `${Math.round(f.workerStartMs)} ms`,
      timeCell(f.first.ms, TARGET_MS[f.kind]),
      timeCell(f.next.ms, TARGET_MS[f.kind]),
      `${Math.round(f.first.cpuMs)} / ${Math.round(f.next.cpuMs)} ms`,
      `${Math.round(f.peakRssMb)} MB (${Math.round(f.peakRssMb - f.rssBeforeMb)} MB over the loaded server)`,
      `${Math.round(f.first.maxStallMs)} / ${Math.round(f.next.maxStallMs)} ms`,
      `${Math.round(f.next.bytes / 1024)} KB`,
    ]),
  }
}

const LATENCY_PARAMS = {
  words: 120_000,
  clauses: 400,
  idleMs: 4000,
  exportsPerKind: 3,
  keyIntervalMs: [40, 80],
  seed: 22,
} satisfies Omit<ExportLatencyParams, 'target'>

async function keystrokeLatency(settings: BenchSettings): Promise<ExportLatencyResult> {
  return withPeer(
    'accord',
    settings,
    async (peer) => {
      const target = await peer.newDocument({ editors: 1, readers: 1 })
      return runLoad<ExportLatencyResult>({
        kind: 'export-latency',
        params: { ...LATENCY_PARAMS, target } satisfies ExportLatencyParams,
      })
    },
    { label: 'export-latency' },
  )
}

function latencyTable(result: ExportLatencyResult): PlainTable {
  const row = (label: string, s: Summary, exportMs?: number[]) => {
    const ratio = (value: number, idle: number) => (exportMs ? ` (${(value / idle).toFixed(1)}x)` : '')
    return [
      label,
      String(s.count),
      `${s.p50.toFixed(1)} ms${ratio(s.p50, result.idle.p50)}`,
      `${s.p99.toFixed(1)} ms${ratio(s.p99, result.idle.p99)}`,
      `${s.max.toFixed(1)} ms`,
      exportMs ? exportMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') : '',
    ]
  }
  const within2x = (s: Summary) => s.p99 <= 2 * result.idle.p99
  return {
    title: 'Keystroke latency (typist to another client) during exports vs idle',
    header: ['phase', 'keystrokes', 'p50', 'p99', 'max', 'exports (client-side time)'],
    cells: [
      row('idle', result.idle),
      row('during .docx export', result.duringExport.docx!, result.exportMs.docx),
      row('during .docx export with marks', result.duringExport.marks!, result.exportMs.marks),
    ],
    notes: [
      `Aim: p99 during an export within 2x of idle: .docx ${within2x(result.duringExport.docx!) ? 'met' : 'not met'}, ` +
        `with marks ${within2x(result.duringExport.marks!) ? 'met' : 'not met'}.`,
      `One typist (a real y-websocket client) types a character every ${LATENCY_PARAMS.keyIntervalMs.join('-')} ms ` +
        'into the 120,000-word deliverable; a raw client receives. Exports are asked over HTTP one after another; ' +
        `${result.delivered} of ${result.keystrokes} keystrokes arrived.`,
      'The server and its export worker share one core (taskset): the worker runs at a lower priority (nice 10).',
    ],
  }
}

export const exportScenario: Scenario = {
  id: 'export',
  title: 'Export of the 120,000-word deliverable',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    const figures: ExportFigures[] = []
    for (const kind of KINDS) {
      settings.log(`export: ${kind}`)
      figures.push(await measure(kind))
    }
    settings.log('export: keystroke latency during exports')
    const latency = await keystrokeLatency(settings)
    return {
      id: 'export',
      title: this.title,
      tables: [exportTable(figures), latencyTable(latency)],
      notes: [
        'The .docx is written on a worker thread kept warm between exports; the main thread only reads the Yjs ' +
          'document (the stall column). `npm start` starts the worker when the server starts listening.',
        'PDF: the LibreOffice process is not counted in the peak RSS or the CPU time; its time is included.',
        'On a shared machine the time depends on the other processes; the CPU time much less.',
      ],
      raw: { figures, latency },
    }
  },
}
