/**
 * A throwaway PostgreSQL for tests: `initdb` in a temporary folder, `pg_ctl start` on a free loopback port (its
 * unix socket in the same folder), `pg_ctl stop` and the folder removed at the end; `stop()` then `start()` make an
 * outage (the same data folder and port afterwards). PostgreSQL refuses to run as root, so under root the server
 * runs as the `postgres` user that Debian's package creates.
 *
 * Each test server gets its own database (`databaseFor`), as each gets its own DATA_DIR with the file backend.
 * `ACCORD_TEST_BACKEND=postgres` starts one for the whole vitest run (postgresGlobalSetup.ts).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './ports.ts'

const run = promisify(execFile)
const USER = 'accord'

/** Creates and drops the databases of a cluster, through its maintenance database. */
export interface DatabaseAdmin {
  /** The URL of a database of this cluster. */
  urlOf(database: string): string
  /** Creates the database when missing (idempotent) and answers its URL. */
  ensureDatabase(database: string): Promise<string>
  dropDatabase(database: string): Promise<void>
  end(): Promise<void>
}

export interface ThrowawayPostgres {
  /** Connection URL of the maintenance database `postgres`. */
  adminUrl: string
  /** An outage: `pg_ctl stop -m fast` (open connections are ended, new ones refused); the data stays. */
  stop(): Promise<void>
  /** Back from an outage: the same data folder on the same port. */
  start(): Promise<void>
  /** Stops it (immediately) and removes its folder, for good. */
  destroy(): Promise<void>
}

/** `adminUrl`: a URL of the cluster's maintenance database, as a superuser. */
export function databaseAdmin(adminUrl: string): DatabaseAdmin {
  const admin = new pg.Pool({ connectionString: adminUrl, max: 2, allowExitOnIdle: true })
  admin.on('error', () => undefined)
  const urlOf = (database: string) => {
    const url = new URL(adminUrl)
    url.pathname = `/${database}`
    return url.toString()
  }
  return {
    urlOf,
    async ensureDatabase(database) {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
      if (!rowCount) await admin.query(`CREATE DATABASE ${database}`)
      return urlOf(database)
    },
    async dropDatabase(database) {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    },
    end: () => admin.end(),
  }
}

/** The folder of initdb/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else PATH. */
function binaryFolder(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0]) return path.join(root, versions[0], 'bin')
  }
  return ''
}

const asRoot = () => process.getuid?.() === 0

/** Runs a PostgreSQL binary, as `postgres` when we are root (initdb and postgres refuse to run as root). */
async function pgCommand(name: string, args: string[]): Promise<void> {
  const folder = binaryFolder()
  const binary = folder ? path.join(folder, name) : name
  const [file, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args]
  try {
    await run(file, argv, { timeout: 120_000 })
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string }
    throw new Error(`${name} failed: ${(error as Error).message}\n${stdout ?? ''}${stderr ?? ''}`)
  }
}

/** A database name for a test server's data folder: stable across its restarts, distinct between servers. */
export function databaseFor(dataDir: string): string {
  return `accord_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'accord-pg-'))
  if (asRoot()) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    await chown(folder, uid, gid)
  }
  const data = path.join(folder, 'data')
  const port = await freePort()
  // fsync off: the cluster is thrown away; what the tests check is that we acknowledge only after COMMIT.
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`
  const start = () =>
    pgCommand('pg_ctl', [
      'start',
      '-D',
      data,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(folder, 'log'),
      '-o',
      options,
    ])
  try {
    await pgCommand('initdb', ['-D', data, '-A', 'trust', '-U', USER, '--no-sync', '-E', 'UTF8'])
    await start()
  } catch (error) {
    await rm(folder, { recursive: true, force: true })
    throw error
  }
  let destroyed = false
  return {
    adminUrl: `postgresql://${USER}@127.0.0.1:${port}/postgres`,
    stop: () => pgCommand('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']),
    start,
    async destroy() {
      if (destroyed) return
      destroyed = true
      await pgCommand('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined)
      await rm(folder, { recursive: true, force: true })
    },
  }
}
