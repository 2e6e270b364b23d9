/**
 * `npm run cluster` (server/tools/cluster.ts) as an operator runs it: with nothing configured it starts
 * PostgreSQL, Redis, three nodes and HAProxy, prints the balancer's address, and SIGTERM stops every process it
 * started and removes its temporary folders.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { processAlive } from '../support/serviceProcess.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const SETUP_TOKEN = 'launcher-test-token'
const NODE_IDS = ['node-1', 'node-2', 'node-3']

let cluster: ChildProcess
let output = ''
/** What the banner names: the balancer's address, every pid, the temporary folder. */
let banner: { base: string; pids: Map<string, number>; folder: string; databaseUrl: string }
/** PostgreSQL's postmaster and its data folder, found through the database the nodes use. */
let postgres: { pid: number; dataDirectory: string }

function clusterEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SETUP_TOKEN, SCRYPT_COST: '1024', LOG_LEVEL: 'warn' }
  // Nothing configured: the script starts its own stores and picks the balancer's port.
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'PORT',
    'HOST',
    'DATA_DIR',
    'PUBLIC_ORIGIN',
    'TRUST_PROXY',
  ])
    delete env[name]
  return env
}

async function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = output.match(pattern)
    if (match) return match
    if (cluster.exitCode !== null) throw new Error(`npm run cluster exited (${cluster.exitCode}):\n${output}`)
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs / 1000} s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function parseBanner(): typeof banner {
  const pids = new Map<string, number>()
  for (const [, name, pid] of output.matchAll(/^ {2}(node-\d+|HAProxy|Redis)\s+\S+ {2}pid (\d+)/gm))
    pids.set(name!, Number(pid))
  return {
    base: output.match(/Accord cluster is running at (http:\/\/\S+)/)![1]!,
    pids,
    folder: output.match(/removes (\S+)/)![1]!,
    databaseUrl: output.match(/^ {2}PostgreSQL\s+(\S+) \(started here\)/m)![1]!,
  }
}

/** The postmaster's pid is the first line of postmaster.pid in its data directory. */
async function findPostgres(databaseUrl: string): Promise<typeof postgres> {
  const connection = new pg.Client({ connectionString: databaseUrl })
  await connection.connect()
  try {
    const { rows } = await connection.query<{ data_directory: string }>('SHOW data_directory')
    const dataDirectory = rows[0]!.data_directory
    const pid = Number(readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0])
    return { pid, dataDirectory }
  } finally {
    await connection.end()
  }
}

/** Every process the cluster started: nodes, HAProxy, Redis, PostgreSQL (what is known so far). */
const startedPids = () => [...(banner?.pids.values() ?? []), ...(postgres ? [postgres.pid] : [])]

beforeAll(async () => {
  cluster = spawn(process.execPath, ['--import', 'tsx', 'server/tools/cluster.ts'], {
    cwd: ROOT,
    env: clusterEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cluster.stdout?.on('data', (chunk) => (output += chunk))
  cluster.stderr?.on('data', (chunk) => (output += chunk))
  await waitForOutput(/Stop with Ctrl-C or SIGTERM/, 170_000)
  banner = parseBanner()
  postgres = await findPostgres(banner.databaseUrl)
}, 180_000)

afterAll(() => {
  // Only after a failure is anything left: do not leave it running on a shared machine.
  if (cluster.exitCode === null) cluster.kill('SIGKILL')
  for (const pid of startedPids()) if (processAlive(pid)) process.kill(pid, 'SIGKILL')
})

describe('npm run cluster', () => {
  test('prints the balancer address, three nodes, HAProxy, Redis and PostgreSQL it started', () => {
    expect(banner.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect([...banner.pids.keys()].sort()).toEqual([...NODE_IDS, 'HAProxy', 'Redis'].sort())
    for (const pid of startedPids()) expect(processAlive(pid), `pid ${pid}`).toBe(true)
  })

  test('prints the first-run setup link at the balancer, with SETUP_TOKEN', () => {
    expect(output).toContain(
      `First run: create the administrator at ${banner.base}/setup?token=${SETUP_TOKEN}`,
    )
  })

  test('the balancer answers /api/health 200 from more than one node (round robin)', async () => {
    const servedBy = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${banner.base}/api/health`)
      expect(response.status).toBe(200)
      const servedByHeader = response.headers.get('x-served-by') ?? ''
      expect(await response.json()).toMatchObject({
        ok: true,
        node: servedByHeader,
        dependencies: { database: 'ok', redis: 'ok' },
      })
      servedBy.add(servedByHeader)
    }
    expect(servedBy.size).toBeGreaterThan(1)
    for (const node of servedBy) expect(NODE_IDS).toContain(node)
  })

  test('a WebSocket upgrade to /sync/… goes through the balancer to the nodes (401 without a session)', async () => {
    const servedBy = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const refusal = await upgradeRefusal(`${banner.base.replace('http', 'ws')}/sync/some-deliverable`)
      expect(refusal.status).toBe(401)
      servedBy.add(refusal.servedBy)
    }
    expect(servedBy.size).toBeGreaterThan(1)
  })

  test('SIGTERM stops every process it started within 20 s, exits 0 and removes its temporary folders', async () => {
    const exited = new Promise<number | null>((resolve) => cluster.once('exit', (code) => resolve(code)))
    const pids = startedPids()
    const started = Date.now()
    cluster.kill('SIGTERM')
    expect(await exited).toBe(0)
    while (pids.some(processAlive) && Date.now() - started < 20_000)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(pids.filter(processAlive)).toEqual([])
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(existsSync(banner.folder)).toBe(false)
    expect(existsSync(postgres.dataDirectory)).toBe(false)
  }, 30_000)
})

/** Opens a WebSocket that the server refuses; answers the HTTP status and which node answered. */
function upgradeRefusal(url: string): Promise<{ status: number; servedBy: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, servedBy: String(response.headers['x-served-by']) })
      response.resume()
      socket.terminate()
    })
    socket.on('open', () => reject(new Error('the upgrade was accepted without a session')))
    socket.on('error', () => undefined)
  })
}
