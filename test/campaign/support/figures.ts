/**
 * The campaign's figures. Each part (one test file, in its own worker) writes `results/<run>/<part>.json`;
 * every write also merges all parts into `results/<run>.json`, so the summary is whole whichever part ends
 * last. Writes go through a temporary file and a rename, so a reader never sees half a file. A run is named by
 * its profile, and by its backend when that is PostgreSQL (`quick-postgres`): the two runs of `npm test` keep
 * their own figures.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { TEST_BACKEND } from '../../support/testServer.ts'
import { PROFILE, type Profile } from './profile.ts'

export const RESULTS_DIR = path.resolve(import.meta.dirname, '../results')

/** The name of a run's figures: `quick`, `full`, `quick-postgres`, `full-postgres`. */
export function runName(profile: Profile, backend: typeof TEST_BACKEND = TEST_BACKEND): string {
  return backend === 'files' ? profile : `${profile}-${backend}`
}

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
  backend: typeof TEST_BACKEND
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
  const dir = path.join(RESULTS_DIR, runName(PROFILE))
  await mkdir(dir, { recursive: true })
  await writeAtomically(
    path.join(dir, `${part}.json`),
    `${JSON.stringify({ ...figures, at: new Date().toISOString() }, null, 2)}\n`,
  )
  console.log(`[campaign ${runName(PROFILE)}] ${part}: ${JSON.stringify(figures)}`)
  return mergeFigures(PROFILE)
}

/** Merges the parts of this backend's run of the profile into `results/<run>.json`. */
export async function mergeFigures(profile: Profile): Promise<Summary> {
  const name = runName(profile)
  const dir = path.join(RESULTS_DIR, name)
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
  const summary: Summary = {
    profile,
    backend: TEST_BACKEND,
    updatedAt: new Date().toISOString(),
    totals,
    parts,
  }
  await mkdir(RESULTS_DIR, { recursive: true })
  await writeAtomically(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(summary, null, 2)}\n`)
  return summary
}
