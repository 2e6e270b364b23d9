/**
 * Export of the 120,000-word deliverable (test/support/largeDeliverable.ts) to .docx, to .docx with revision
 * marks (against the state before a word changed in every tenth paragraph) and to PDF: time, peak memory of the
 * exporting process, and the longest event-loop stall during the export (how long another client's keystroke
 * would wait). Each export runs in a fresh process of its own (exportLargeRun.ts).
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { ScenarioReport } from '../report.ts'
import type { BenchSettings, Scenario } from './context.ts'

const run = promisify(execFile)
const KINDS = ['docx', 'marks', 'pdf'] as const
const TARGET_MS: Record<(typeof KINDS)[number], number | null> = { docx: 1000, marks: 2000, pdf: null }

interface ExportFigures {
  kind: string
  ms: number
  bytes: number
  rssBeforeMb: number
  peakRssMb: number
  maxStallMs: number
}

async function measure(kind: string): Promise<ExportFigures> {
  const script = path.join(import.meta.dirname, 'exportLargeRun.ts')
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, kind], {
    timeout: 300_000,
    maxBuffer: 1024 * 1024,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ExportFigures
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
    const cells = figures.map((f) => {
      const target = TARGET_MS[f.kind as (typeof KINDS)[number]]
      return [
        f.kind,
        `${Math.round(f.ms)} ms${target ? ` (aim < ${target} ms: ${f.ms < target ? 'met' : 'not met'})` : ''}`,
        `${Math.round(f.peakRssMb)} MB (${Math.round(f.peakRssMb - f.rssBeforeMb)} MB over the loaded server)`,
        `${Math.round(f.maxStallMs)} ms`,
        `${Math.round(f.bytes / 1024)} KB`,
      ]
    })
    return {
      id: 'export',
      title: this.title,
      tables: [
        {
          title: 'Export time, peak memory and event-loop stall',
          header: ['export', 'time', 'peak RSS of the server process', 'longest event-loop stall', 'file'],
          cells,
        },
      ],
      notes: [
        'The .docx is written on a worker thread; the main thread only reads the Yjs document (the stall column).',
        'PDF: the LibreOffice process is not counted in the peak RSS; its time is included.',
        'Other clients’ keystroke latency during an export is not measured here: the longest stall bounds it.',
      ],
      raw: figures,
    }
  },
}
