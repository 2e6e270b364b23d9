/**
 * The campaign's figures. Each part (one test file, in its own worker) writes `results/<profile>/<part>.json`;
 * every write also merges all parts into `results/<profile>.json`, so the summary is whole whichever part ends
 * last. Writes go through a temporary file and a rename, so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PROFILE, type Profile } from './profile.ts'

export const RESULTS_DIR = path.resolve(import.meta.dirname, '../results')

/** The headline numbers of the issue, summed over the parts that report them. */
export const HEADLINE = [
  'killsSurvived',
  'powerCutsSurvived',
  'acknowledgedUpdatesLost',
  'acknowledgedUpdatesChecked',
  'fuzzCasesRun',
  'matrixCellsChecked',
  'payloadsTried',
] as const

export type Figures = Record<string, number | string | boolean | number[] | string[]>

export interface Summary {
  profile: Profile
  updatedAt: string
  totals: Record<(typeof HEADLINE)[number], number>
  parts: Record<string, Figures & { at: string }>
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temporary, text)
  await rename(temporary, file)
}

/** Records one part's figures and refreshes the profile's summary. */
export async function recordFigures(part: string, figures: Figures): Promise<Summary> {
  const dir = path.join(RESULTS_DIR, PROFILE)
  await mkdir(dir, { recursive: true })
  await writeAtomically(
    path.join(dir, `${part}.json`),
    `${JSON.stringify({ ...figures, at: new Date().toISOString() }, null, 2)}\n`,
  )
  console.log(`[campaign ${PROFILE}] ${part}: ${JSON.stringify(figures)}`)
  return mergeFigures(PROFILE)
}

export async function mergeFigures(profile: Profile): Promise<Summary> {
  const dir = path.join(RESULTS_DIR, profile)
  const parts: Summary['parts'] = {}
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      parts[name.slice(0, -'.json'.length)] = JSON.parse(await readFile(path.join(dir, name), 'utf8'))
    } catch {
      // Being replaced right now: the next merge picks it up.
    }
  }
  const totals = Object.fromEntries(HEADLINE.map((key) => [key, 0])) as Summary['totals']
  for (const figures of Object.values(parts))
    for (const key of HEADLINE) if (typeof figures[key] === 'number') totals[key] += figures[key] as number
  const summary: Summary = { profile, updatedAt: new Date().toISOString(), totals, parts }
  await mkdir(RESULTS_DIR, { recursive: true })
  await writeAtomically(path.join(RESULTS_DIR, `${profile}.json`), `${JSON.stringify(summary, null, 2)}\n`)
  return summary
}
