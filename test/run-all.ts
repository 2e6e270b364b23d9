/**
 * `npm test`: every suite, quick profiles with fixed seeds. Node suites first (parallel files), then the browser
 * suites one file at a time; prints how long each part took so that the CI budget stays visible.
 */
import { spawnSync } from 'node:child_process'

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

let failed = false
const timings: string[] = []
for (const part of parts) {
  const started = Date.now()
  const result = spawnSync('npx', part.args, { stdio: 'inherit', env: { ...process.env, ...part.env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  timings.push(`${part.name}: ${seconds} s (exit ${result.status})`)
  if (result.status !== 0) failed = true
}
console.log(`\nTest timings:\n  ${timings.join('\n  ')}`)
process.exit(failed ? 1 : 0)
