/**
 * Accord as a two-node cluster for the benchmark: a throwaway PostgreSQL and Redis (test/support), two nodes
 * (`node-1`, `node-2`) started as `npm start` runs them, with the bench's settings (ACCORD_BENCH_ENV), and no
 * balancer: the load generator connects each client to the node chosen for it. Users and deliverables are made
 * through node-1, which therefore loads each new deliverable first and owns it.
 *
 * Placement: both nodes on the server core (one core for the whole cluster, as one process has in the other
 * scenarios, so that CPU per follower compares), the load generator on the other; PostgreSQL and Redis are left
 * to the scheduler and their CPU time is reported apart.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { type ClusterNodes, startClusterNodes } from '../../test/support/clusterNodes.ts'
import { databaseAdmin, startThrowawayPostgres, type ThrowawayPostgres } from '../../test/support/postgres.ts'
import { startThrowawayRedis, type ThrowawayRedis } from '../../test/support/redis.ts'
import { cpuSeconds, SERVER_CORE } from '../lib/processes.ts'
import { ACCORD_BENCH_ENV } from './accord.ts'
import { AccordAccounts } from './accordAccounts.ts'
import { FIRST, type NodeIndex, SECOND, type TwoNodes } from './twoNodes.ts'
import type { DocumentTarget } from './types.ts'

const OWNER = FIRST
const EDGE = SECOND

/** What `GET /api/health` says of a node's part in the cluster. */
export interface NodeHealth {
  node: string
  cluster: { documentsOwned: number; relayedIn: number; relayedOut: number; peers: string[] }
}

export class AccordCluster implements TwoNodes {
  readonly kind = 'accord' as const

  private constructor(
    private readonly postgres: ThrowawayPostgres,
    private readonly redis: ThrowawayRedis,
    private readonly postgresPort: number,
    readonly nodes: ClusterNodes,
    private readonly accounts: AccordAccounts,
  ) {}

  /** Each node's output goes to `<runDir>/accord-node-<n>-<time>.log` (kept with --keep or on failure). */
  static async start(runDir: string): Promise<AccordCluster> {
    const stamp = Date.now().toString(36)
    const [postgres, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()])
    try {
      const admin = databaseAdmin(postgres.adminUrl)
      const databaseUrl = await admin.ensureDatabase('accord_bench').finally(() => admin.end())
      const nodes = await startClusterNodes({
        count: 2,
        env: { ...ACCORD_BENCH_ENV, DATABASE_URL: databaseUrl, REDIS_URL: redis.url },
        onOutput: (nodeId, text) => appendFileSync(path.join(runDir, `accord-${nodeId}-${stamp}.log`), text),
      })
      // Every thread, those made before the pinning included (`-a`); threads made later inherit it.
      for (let i = 0; i < 2; i++)
        execFileSync('taskset', ['-a', '-cp', String(SERVER_CORE), String(nodes.pid(i))], { stdio: 'ignore' })
      const accounts = new AccordAccounts(nodes.nodes[OWNER]!.url)
      await accounts.setUp()
      return new AccordCluster(postgres, redis, Number(new URL(postgres.adminUrl).port), nodes, accounts)
    } catch (error) {
      await Promise.all([redis.close(), postgres.stop()])
      throw error
    }
  }

  /** A new deliverable, made through node-1; its clients connect to node `at`. */
  async newDocument(
    users: { editors: number; readers: number },
    at: NodeIndex = OWNER,
  ): Promise<DocumentTarget> {
    const target = await this.accounts.newDocument(users, this.wsBase(OWNER))
    return { ...target, wsBase: this.wsBase(at) }
  }

  wsBase(node: NodeIndex): string {
    return this.nodes.nodes[node]!.wsUrl
  }

  pid(node: number): number {
    const pid = this.nodes.pid(node)
    if (pid === undefined)
      throw new Error(`${this.nodes.nodes[node]!.nodeId} exited:\n${this.nodes.output(node)}`)
    return pid
  }

  nodeCpuSeconds(node: NodeIndex): number {
    return cpuSeconds(this.pid(node))
  }

  /** Node-1 owns documents, node-2 none (and, if `relayedOnSecond`, node-2 relays clients), by /api/health. */
  async expectRouting(relayedOnSecond: boolean): Promise<void> {
    const [owner, edge] = await Promise.all([this.health(OWNER), this.health(EDGE)])
    const relaying = edge.cluster.relayedOut > 0
    if (
      owner.cluster.documentsOwned < 1 ||
      edge.cluster.documentsOwned !== 0 ||
      (relayedOnSecond && !relaying)
    )
      throw new Error(`unexpected ownership: ${JSON.stringify([owner, edge])}`)
  }

  async health(node: number): Promise<NodeHealth> {
    const response = await fetch(`${this.nodes.nodes[node]!.url}/api/health`)
    return (await response.json()) as NodeHealth
  }

  /** CPU seconds so far of Redis, and of PostgreSQL's server processes (the postmaster and its children). */
  serviceCpuSeconds(): { redis: number; postgres: number } {
    const redisPid = this.redis.pid()
    const postgres = postgresProcesses(this.postgresPort).reduce((sum, pid) => sum + safeCpu(pid), 0)
    return { redis: redisPid ? safeCpu(redisPid) : Number.NaN, postgres }
  }

  async stop(): Promise<void> {
    await this.nodes.stop()
    await Promise.all([this.redis.close(), this.postgres.stop()])
  }
}

function safeCpu(pid: number): number {
  try {
    return cpuSeconds(pid)
  } catch {
    return 0 // exited meanwhile
  }
}

/** The postmaster listening on `port` (found by its command line) and its children, from /proc. */
function postgresProcesses(port: number): number[] {
  const processes = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')
        return { pid: Number(name), parent, command }
      } catch {
        return null
      }
    })
    .filter((p) => p !== null)
  const postmaster = processes.find(
    (p) => /postgres$/.test(p.command[0] ?? '') && p.command.join(' ').includes(`-p ${port} `),
  )
  if (!postmaster) return []
  return [postmaster.pid, ...processes.filter((p) => p.parent === postmaster.pid).map((p) => p.pid)]
}
