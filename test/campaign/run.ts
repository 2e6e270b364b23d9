/**
 * `npm run campaign`: the fault and abuse campaign in its full profile (CAMPAIGN_PROFILE=full; `--quick` for the
 * quick one), its Node part and then its browser part, followed by the figures as they were written to
 * test/campaign/results/<profile>.json (`<profile>-postgres.json` with ACCORD_TEST_BACKEND=postgres).
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { HEADLINE, mergeFigures, RESULTS_DIR, runName } from './support/figures.ts'

const profile = process.argv.includes('--quick') ? 'quick' : 'full'
const env = { ...process.env, CAMPAIGN_PROFILE: profile }
rmSync(path.join(RESULTS_DIR, runName(profile)), { recursive: true, force: true })

const parts: { name: string; args: string[] }[] = [
  { name: 'campaign (node)', args: ['vitest', 'run', '--project', 'node', 'test/campaign'] },
  {
    name: 'hostile content (browser)',
    args: ['vitest', 'run', '--project', 'browser', 'test/browser/hostileContent.test.ts'],
  },
]
const timings: string[] = []
let failed = false
for (const part of parts) {
  const started = Date.now()
  const result = spawnSync('npx', part.args, { stdio: 'inherit', env })
  timings.push(`${part.name}: ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${result.status})`)
  if (result.status !== 0) failed = true
}

const summary = await mergeFigures(profile)
const labels: Record<(typeof HEADLINE)[number], string> = {
  killsSurvived: 'SIGKILLs survived',
  powerCutsSurvived: 'power cuts survived',
  acknowledgedUpdatesLost: 'acknowledged updates lost',
  acknowledgedUpdatesChecked: 'acknowledged updates checked',
  fuzzCasesRun: 'fuzz cases run',
  matrixCellsChecked: 'authorization cells checked',
  payloadsTried: 'hostile payloads tried',
}
console.log(
  `\nCampaign (${runName(profile)}), written to ${path.join(RESULTS_DIR, `${runName(profile)}.json`)}`,
)
for (const key of HEADLINE) console.log(`  ${labels[key].padEnd(30)} ${summary.totals[key]}`)
console.log(`\n  ${timings.join('\n  ')}`)
process.exit(failed ? 1 : 0)
