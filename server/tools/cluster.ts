/**
 * `npm run cluster`: a local cluster for trying Accord beyond one process (README "Run a cluster"): three nodes
 * (CLUSTER_NODES) behind HAProxy configured by deploy/haproxy.cfg, on PostgreSQL and Redis. PostgreSQL and Redis
 * are started here, on free ports in temporary folders, unless DATABASE_URL / REDIS_URL name running ones. The
 * balancer listens on PORT (default: a free port) and HOST (default 127.0.0.1); the nodes on loopback. The other
 * variables of `npm start` (SETUP_TOKEN, LOG_LEVEL, COOKIE_SECURE, …) reach every node.
 *
 * SIGTERM or SIGINT stops everything in order (balancer, nodes, then the stores the nodes flush to) and removes
 * what was started here. The services run in their own process groups so that a terminal's Ctrl-C reaches only
 * this process, which then stops them in that order.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type ClusterNodes, startClusterNodes } from '../../test/support/clusterNodes.ts'
import { type Balancer, startHaproxy } from '../../test/support/haproxy.ts'
import { freePort } from '../../test/support/ports.ts'
import { databaseAdmin, startThrowawayPostgres, type ThrowawayPostgres } from '../../test/support/postgres.ts'
import { startThrowawayRedis, type ThrowawayRedis } from '../../test/support/redis.ts'
import { healthy } from '../../test/support/serviceProcess.ts'

const env = process.env
const ALL_INTERFACES = new Set(['0.0.0.0', '::'])

/** What this process started, in start order; stopped in reverse. */
interface Started {
  folder?: string
  postgres?: ThrowawayPostgres
  redis?: ThrowawayRedis
  nodes?: ClusterNodes
  balancer?: Balancer
}
const started: Started = {}

async function stopEverything(): Promise<void> {
  await started.balancer?.stop()
  await started.nodes?.stop()
  await started.redis?.close()
  await started.postgres?.destroy()
  if (started.folder) await rm(started.folder, { recursive: true, force: true })
}

/** A database `accord` in a PostgreSQL started here (its superuser is `accord`; fsync off: it is thrown away). */
async function startPostgres(): Promise<string> {
  started.postgres = await startThrowawayPostgres()
  const admin = databaseAdmin(started.postgres.adminUrl)
  try {
    return await admin.ensureDatabase('accord')
  } finally {
    await admin.end()
  }
}

async function startRedis(): Promise<string> {
  started.redis = await startThrowawayRedis({ ownProcessGroup: true })
  return started.redis.url
}

/** The origins browsers send through the balancer: the nodes accept them besides PUBLIC_ORIGIN. */
function balancerOrigins(host: string, port: number): string[] {
  const loopback = ALL_INTERFACES.has(host) || ['127.0.0.1', 'localhost', '::1'].includes(host)
  const hosts = loopback ? ['127.0.0.1', 'localhost'] : [host.includes(':') ? `[${host}]` : host]
  return hosts.map((h) => `http://${h}:${port}`)
}

/** Prefixes each line a node writes with its id, as `docker compose` does, so interleaved logs stay readable. */
function lineWriter(): (nodeId: string, text: string) => void {
  const partial = new Map<string, string>()
  return (nodeId, text) => {
    const lines = ((partial.get(nodeId) ?? '') + text).split('\n')
    partial.set(nodeId, lines.pop() ?? '')
    for (const line of lines) process.stdout.write(`[${nodeId}] ${line}\n`)
  }
}

async function start(): Promise<void> {
  const count = Number.parseInt(env.CLUSTER_NODES || '3', 10)
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`CLUSTER_NODES: expected a count, got "${env.CLUSTER_NODES}"`)
  const host = env.HOST || '127.0.0.1'
  const port = env.PORT ? Number.parseInt(env.PORT, 10) : await freePort()
  started.folder = await mkdtemp(path.join(os.tmpdir(), 'accord-cluster-'))
  const databaseUrl = env.DATABASE_URL || (await startPostgres())
  checkpoint()
  const redisUrl = env.REDIS_URL || (await startRedis())
  checkpoint()
  // One token for every node: the setup page may be served by any of them.
  const setupToken = env.SETUP_TOKEN || randomBytes(18).toString('base64url')
  const publicOrigins = [env.PUBLIC_ORIGIN, ...balancerOrigins(host, port)].filter(Boolean).join(',')
  started.nodes = await startClusterNodes({
    count,
    folder: env.DATA_DIR ? path.resolve(env.DATA_DIR) : started.folder,
    ownProcessGroup: true,
    onOutput: lineWriter(),
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      SETUP_TOKEN: setupToken,
      PUBLIC_ORIGIN: publicOrigins,
      // HAProxy runs on this machine: believe X-Forwarded-For from loopback only, unless told otherwise.
      TRUST_PROXY: env.TRUST_PROXY || 'loopback',
      // At `info` every node logs HAProxy's health check each second; X-Served-By shows who answered instead.
      LOG_LEVEL: env.LOG_LEVEL || 'warn',
    },
  })
  checkpoint()
  const nodes = started.nodes.nodes
  started.balancer = await startHaproxy({
    backends: nodes.map((node) => ({ name: node.nodeId, url: node.url })),
    folder: started.folder,
    port,
    host,
    ownProcessGroup: true,
  })
  checkpoint()
  const base = started.balancer.url
  const deadline = Date.now() + 30_000
  while (!(await healthy(base).catch(() => false))) {
    checkpoint()
    if (Date.now() > deadline)
      throw new Error(`The balancer at ${base} did not answer /api/health within 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await printBanner(base, setupToken, databaseUrl, redisUrl)
}

async function printBanner(base: string, setupToken: string, databaseUrl: string, redisUrl: string) {
  const { redis, postgres } = started
  const [nodes, balancer] = [started.nodes!, started.balancer!]
  const setup = await fetch(`${base}/api/setup`).then((r) => r.json() as Promise<{ needed?: boolean }>)
  const lines = [
    `Accord cluster is running at ${base} (HAProxy, round robin over ${nodes.nodes.length} nodes)`,
  ]
  if (setup.needed) lines.push(`First run: create the administrator at ${base}/setup?token=${setupToken}`)
  for (const [i, node] of nodes.nodes.entries())
    lines.push(`  ${node.nodeId.padEnd(11)}${node.url}  pid ${nodes.pid(i)}`)
  lines.push(`  ${'HAProxy'.padEnd(11)}${balancer.configFile}  pid ${balancer.pid}`)
  lines.push(`  ${'Redis'.padEnd(11)}${redisUrl}${redis ? `  pid ${redis.pid()} (started here)` : ''}`)
  const shownDatabase = new URL(databaseUrl)
  shownDatabase.password = shownDatabase.password ? '***' : ''
  lines.push(`  ${'PostgreSQL'.padEnd(11)}${shownDatabase}${postgres ? ' (started here)' : ''}`)
  lines.push(`Stop with Ctrl-C or SIGTERM: stops all of it and removes ${started.folder}`)
  console.log(`\n${lines.join('\n')}\n`)
}

/** A signal during the start is honoured between steps, so that every started service is known and stopped. */
let phase: 'starting' | 'running' | 'stopping' = 'starting'
let stopRequested: string | undefined

function checkpoint(): void {
  if (stopRequested) throw new Error(`${stopRequested} received`)
}

async function shutDown(reason: string, exitCode: number): Promise<void> {
  phase = 'stopping'
  console.log(`\n${reason}: stopping the cluster`)
  await stopEverything().catch((error) => {
    console.error(`Stopping failed: ${(error as Error).message}`)
    exitCode = 1
  })
  process.exit(exitCode)
}

function onSignal(signal: string): void {
  if (phase === 'running') void shutDown(signal, 0)
  else if (phase === 'starting') stopRequested ??= signal
}
process.on('SIGTERM', () => onSignal('SIGTERM'))
process.on('SIGINT', () => onSignal('SIGINT'))

try {
  await start()
  phase = 'running'
} catch (error) {
  if (stopRequested) await shutDown(stopRequested, 0)
  console.error(`\nThe cluster did not start: ${(error as Error).message}`)
  await shutDown('start failed', 1)
}
