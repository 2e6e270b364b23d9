/**
 * `npm run bench` (quick, under 5 minutes) and `npm run bench -- --full`: Accord against the reference
 * y-websocket server and Hocuspocus (and, in the meeting, a bare forwarder as the floor no server can beat),
 * each scenario running the peers one after another on the same machine,
 * the server pinned to one core and the load generator to the other. Prints a Markdown table per scenario and
 * writes them, with the raw figures, to bench/results/latest.{md,json} (partial.{md,json} when --only, --sizes or
 * --peers picks a subset).
 *
 * Options: --full, --only <id,id,...>, --repeats <n>, --profile (CPU profiles of Accord's server process),
 * --peers <kind,...> and --sizes <n,...> (a subset of servers or meeting sizes, for investigating), --keep (keep the servers' logs and data).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { summarizeProfiles } from './lib/cpuProfile.ts'
import { describeMachine } from './lib/machine.ts'
import { LOAD_CORE, pinSelf } from './lib/processes.ts'
import { PEERS, type PeerKind } from './peers/types.ts'
import { renderScenario, type ScenarioReport, tableData } from './report.ts'
import { type BenchSettings, collectProfile, type SharedFigures } from './scenarios/context.ts'
import { SCENARIOS } from './scenarios/index.ts'

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    repeats: { type: 'string' },
    profile: { type: 'boolean', default: false },
    peers: { type: 'string' },
    sizes: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})

const resultsDir = path.join(import.meta.dirname, 'results')
mkdirSync(resultsDir, { recursive: true })
const runDir = mkdtempSync(path.join(os.tmpdir(), 'accord-bench-'))
const full = values.full ?? false
const settings: BenchSettings = {
  full,
  repeats: values.repeats ? Number(values.repeats) : full ? 3 : 1,
  profile: values.profile ?? false,
  retriesLeft: full ? 40 : 5,
  peers: values.peers ? (values.peers.split(',').map((p) => p.trim()) as PeerKind[]) : [...PEERS],
  ...(values.sizes ? { meetingSizes: values.sizes.split(',').map((n) => Number(n.trim())) } : {}),
  runDir,
  resultsDir,
  log: (message) => process.stderr.write(`  ${message}\n`),
}
const only = values.only?.split(',').map((s) => s.trim())
const selected = SCENARIOS.filter((s) => (only ? only.includes(s.id) : full || !s.fullOnly))
if (selected.length === 0) {
  console.error(`No such scenario. Known: ${SCENARIOS.map((s) => s.id).join(', ')}`)
  process.exit(2)
}

pinSelf(LOAD_CORE)
const machine = { ...describeMachine(), loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))) }
const started = Date.now()
const header = [
  `## Accord benchmark (${full ? 'full' : 'quick'} run, ${new Date().toISOString()})`,
  '',
  `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ` +
    `${machine.platform} ${machine.kernel}; load average at start ${machine.loadAverageAtStart.join(' / ')}.`,
  `Each server runs alone on core 0 (\`taskset -c 0\`), the load generator on core 1; every peer gets the same ` +
    'clients, documents and traffic; peers run one after another, in alternating order on repeats.',
  '',
].join('\n')
console.log(header)

const reports: ScenarioReport[] = []
const failures: { id: string; error: string }[] = []
const shared: SharedFigures = {}
for (const scenario of selected) {
  const scenarioStart = Date.now()
  settings.log(`— ${scenario.title}`)
  try {
    const report = await scenario.run(settings, shared)
    reports.push(report)
    console.log(`${renderScenario(report)}\n`)
  } catch (error) {
    const message = (error as Error).stack ?? String(error)
    failures.push({ id: scenario.id, error: message })
    console.log(`### ${scenario.title}\n\nFAILED: ${message}\n`)
  }
  settings.log(`  (${((Date.now() - scenarioStart) / 1000).toFixed(0)} s)`)
}
await shared.accordTraceReplay?.peer.dispose()
// Profiles of restarts after the run that started the server (storage scenario).
if (settings.profile)
  for (const dir of readdirSync(runDir).filter((name) => name.startsWith('profile-')))
    collectProfile(path.join(runDir, dir), resultsDir, 'accord-restarted')

const profiles = settings.profile ? summarizeProfiles(resultsDir, started) : []
const seconds = (Date.now() - started) / 1000
const footer = [
  `Total ${seconds.toFixed(0)} s; load average at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.`,
  ...profiles.map((p) => `\n${p}`),
].join('\n')
console.log(footer)

// A run of some scenarios or peers only does not replace the complete run's results.
const resultName = only || values.peers || values.sizes ? 'partial' : 'latest'
const markdown = [
  header,
  ...reports.map(renderScenario),
  ...failures.map((f) => `### ${f.id}\n\nFAILED`),
  footer,
]
writeFileSync(path.join(resultsDir, `${resultName}.md`), `${markdown.join('\n\n')}\n`)
writeFileSync(
  path.join(resultsDir, `${resultName}.json`),
  `${JSON.stringify(
    {
      mode: full ? 'full' : 'quick',
      date: new Date(started).toISOString(),
      seconds,
      machine,
      settings: { repeats: settings.repeats, profile: settings.profile },
      scenarios: reports.map((r) => ({ ...r, tables: r.tables.map(tableData) })),
      failures,
    },
    null,
    2,
  )}\n`,
)
// The results live in the repository: formatted by its formatter, so that `npm run lint` stays clean.
try {
  execFileSync(
    'npx',
    [
      'biome',
      'format',
      '--write',
      path.join(resultsDir, `${resultName}.md`),
      path.join(resultsDir, `${resultName}.json`),
    ],
    {
      stdio: 'ignore',
    },
  )
} catch {
  // formatting is a nicety
}
if (values.keep || failures.length > 0) console.error(`Server logs and data kept in ${runDir}`)
else rmSync(runDir, { recursive: true, force: true })
process.exit(failures.length > 0 ? 1 : 0)
