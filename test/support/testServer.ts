/**
 * Starts the real Accord server for a test: on 127.0.0.1, a free port, a temporary DATA_DIR. In-process by
 * default (the tests can reach its parts); `childProcess: true` runs `server/main.ts` as its own process, for
 * tests that kill it or drive it from a browser.
 *
 * `ACCORD_TEST_BACKEND=postgres` runs every test server on PostgreSQL instead of files: a database of its own
 * (named after its DATA_DIR, so a restart on the same DATA_DIR finds the same database) in the throwaway
 * PostgreSQL that postgresGlobalSetup.ts started for the run.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type AccordServer, createAccordServer } from '../../server/app.ts'
import { type Config, loadConfig } from '../../server/config.ts'
import { createLogger } from '../../server/logger.ts'
import type { FileSystem } from '../../server/storage/fileSystem.ts'
import { freePort } from './ports.ts'
import { type DatabaseAdmin, databaseAdmin, databaseFor } from './postgres.ts'

export { freePort } from './ports.ts'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const SETUP_TOKEN = 'test-setup-token'

/** Settings that keep tests quick without changing behaviour: a cheaper KDF, generous login limits. */
export const TEST_ENV: Record<string, string> = {
  SETUP_TOKEN,
  SCRYPT_COST: '1024',
  LOGIN_LIMIT_PER_ACCOUNT: '1000',
  LOGIN_LIMIT_PER_ADDRESS: '10000',
  // Tests open hundreds of sockets with a few sessions; the limit itself is tested with its default.
  SYNC_CONNECTIONS_PER_SESSION: '100000',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
  HOST: '127.0.0.1',
}

/** The storage backend every test server of this run uses. */
export const TEST_BACKEND: 'files' | 'postgres' =
  process.env.ACCORD_TEST_BACKEND === 'postgres' ? 'postgres' : 'files'
/** For `describe.skipIf(!ON_FILES)`: tests of the file backend itself (file-system faults, bytes on disk). */
export const ON_FILES = TEST_BACKEND === 'files'

let admin: DatabaseAdmin | undefined

/** The test server's own database (created when missing) and how to drop it; null on the file backend. */
async function testDatabase(dataDir: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  if (TEST_BACKEND !== 'postgres') return null
  if (!admin) {
    // Imported here: bench scripts use this module outside vitest.
    const { inject } = await import('vitest')
    admin = databaseAdmin(inject('accordPostgresAdminUrl'))
  }
  const name = databaseFor(dataDir)
  const url = await admin.ensureDatabase(name)
  return { url, drop: () => admin!.dropDatabase(name) }
}

export interface TestServer {
  url: string
  wsUrl: string
  port: number
  dataDir: string
  /** Its own database when the run is on PostgreSQL (ACCORD_TEST_BACKEND=postgres). */
  databaseUrl?: string
  setupToken: string
  /** Present for in-process servers. */
  accord?: AccordServer
  /** Graceful stop (SIGTERM for a child process); removes the data dir unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>
  /** Child process only: SIGKILL, as a crash. */
  kill(): Promise<void>
  /** Child process only: start again on the same port and data dir. */
  restart(): Promise<void>
  output(): string
  /** Child process only: how the last process ended (exit code, or null while running / when signalled). */
  exitCode(): number | null
  /** Child process only: sends a signal (SIGSTOP / SIGCONT to pause and resume it). */
  signal(name: NodeJS.Signals): void
}

export interface TestServerOptions {
  env?: Record<string, string>
  childProcess?: boolean
  dataDir?: string
  fileSystem?: FileSystem
  config?: Partial<Config>
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'accord-test-')))
  const port = await freePort()
  const env: Record<string, string> = { ...TEST_ENV, ...options.env, PORT: String(port), DATA_DIR: dataDir }
  if (options.fileSystem && !ON_FILES)
    throw new Error('A FileSystem seam tests the file backend: skip it on PostgreSQL')
  // A test that brings its own PostgreSQL (to stop and start it) passes its DATABASE_URL and keeps its database.
  const database = options.env?.DATABASE_URL
    ? { url: options.env.DATABASE_URL, drop: async () => undefined }
    : await testDatabase(dataDir)
  if (database) env.DATABASE_URL = database.url
  const base = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    port,
    dataDir,
    setupToken: env.SETUP_TOKEN ?? SETUP_TOKEN,
    ...(database ? { databaseUrl: database.url } : {}),
  }
  const removeData = async (keep?: boolean) => {
    if (keep) return
    await rm(dataDir, { recursive: true, force: true })
    await database?.drop()
  }

  if (!options.childProcess) {
    const config = loadConfig(
      { ...process.env, ...env },
      { clientDir: path.join(ROOT, 'dist/client'), ...options.config },
    )
    const accord = await createAccordServer(config, {
      logger: createLogger(env.LOG_LEVEL ?? 'warn'),
      ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}),
    })
    await accord.listen()
    return {
      ...base,
      accord,
      async stop(stopOptions) {
        await accord.close()
        await removeData(stopOptions?.keepData)
      },
      kill: () => Promise.reject(new Error('kill() needs childProcess: true')),
      restart: () => Promise.reject(new Error('restart() needs childProcess: true')),
      output: () => '',
      exitCode: () => null,
      signal: () => {
        throw new Error('signal() needs childProcess: true')
      },
    }
  }

  let child: ChildProcess | null = null
  let output = ''
  const launch = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env, CLIENT_DIR: path.join(ROOT, 'dist/client') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout?.on('data', (chunk) => (output += chunk))
    child.stderr?.on('data', (chunk) => (output += chunk))
    await waitForHealth(
      base.url,
      () => child?.exitCode != null,
      () => output,
    )
  }
  const exited = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
    })
  await launch()
  return {
    ...base,
    async stop(stopOptions) {
      child?.kill('SIGTERM')
      await exited()
      await removeData(stopOptions?.keepData)
    },
    async kill() {
      child?.kill('SIGKILL')
      await exited()
    },
    restart: launch,
    output: () => output,
    exitCode: () => child?.exitCode ?? null,
    signal: (name) => void child?.kill(name),
  }
}

async function waitForHealth(url: string, died: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (died()) throw new Error(`server exited during start:\n${output()}`)
    try {
      const response = await fetch(`${url}/api/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not answer /api/health within 30 s:\n${output()}`)
}
