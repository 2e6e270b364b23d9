/**
 * `npm test`: every suite, quick profiles with fixed seeds. Node suites first (parallel files), then the browser
 * suites one file at a time; prints how long each part took so that the CI budget stays visible.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const parts: { name: string; args: string[]; env?: Record<string, string> }[] = [
  { name: 'node suites', args: ['vitest', 'run', '--project', 'node'] },
  // The same integration suites of sync and consensus, and the fault campaign's quick profile, once more with
  // everything stored in PostgreSQL (docs/STORAGE.md); cases of the file backend itself skip there.
  {
    name: 'sync, consensus and campaign suites on PostgreSQL',
    args: [
      'vitest',
      'run',
      '--project',
      'node',
      'test/sync',
      'test/consensus',
      'test/campaign',
      'test/meetings',
      'test/storage/postgresStores.test.ts',
    ],
    env: { ACCORD_TEST_BACKEND: 'postgres' },
  },
  { name: 'browser suites', args: ['vitest', 'run', '--project', 'browser'] },
]

/** Vitest's JSON report, the parts read here. */
interface JsonReport {
  testResults: {
    name: string
    message?: string
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[]
  }[]
}

let failed = false
const timings: string[] = []
// Each part's failures are listed again at the very end: a CI log is often read from its tail only.
const failures: string[] = []
const reports = mkdtempSync(path.join(os.tmpdir(), 'accord-test-report-'))
for (const [index, part] of parts.entries()) {
  const started = Date.now()
  const report = path.join(reports, `${index}.json`)
  const args = [...part.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
  const result = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...part.env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  timings.push(`${part.name}: ${seconds} s (exit ${result.status})`)
  if (result.status !== 0) {
    failed = true
    failures.push(...failuresOf(part.name, report))
  }
}
rmSync(reports, { recursive: true, force: true })
console.log(`\nTest timings:\n  ${timings.join('\n  ')}`)
if (failures.length > 0) console.log(`\nFailed:\n  ${failures.join('\n  ')}`)
process.exit(failed ? 1 : 0)

function failuresOf(partName: string, reportPath: string): string[] {
  if (!existsSync(reportPath)) return [`${partName}: no report (the run itself failed; see above)`]
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport
  const firstLine = (text: string | undefined) => (text ?? '').trim().split('\n')[0]?.slice(0, 300) ?? ''
  const lines: string[] = []
  for (const file of report.testResults) {
    const where = path.relative(process.cwd(), file.name)
    const tests = file.assertionResults.filter((test) => test.status === 'failed')
    for (const test of tests)
      lines.push(`${partName} · ${where} > ${test.fullName}: ${firstLine(test.failureMessages[0])}`)
    if (tests.length === 0 && file.message) lines.push(`${partName} · ${where}: ${firstLine(file.message)}`)
  }
  return lines.length > 0 ? lines : [`${partName}: failed without a failed test (see above)`]
}
