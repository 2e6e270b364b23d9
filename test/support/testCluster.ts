/**
 * A whole cluster for one test file: a throwaway PostgreSQL and Redis, K Accord nodes (clusterNodes.ts) with the
 * test settings of testServer.ts, and HAProxy in front (haproxy.ts, deploy/haproxy.cfg). Clients reach it through
 * `url` / `wsUrl` as browsers reach a deployment, or one node directly through `nodes.nodes[i]`.
 *
 * The balancer's port is chosen before the nodes start, so that their PUBLIC_ORIGIN names it: a browser behind
 * the balancer sends that origin, not the node's.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type ClusterNodes, startClusterNodes } from './clusterNodes.ts'
import { type Balancer, startHaproxy } from './haproxy.ts'
import { freePort } from './ports.ts'
import { databaseAdmin, startThrowawayPostgres, type ThrowawayPostgres } from './postgres.ts'
import { startThrowawayRedis, type ThrowawayRedis } from './redis.ts'
import { SETUP_TOKEN, TEST_ENV } from './testServer.ts'

export interface TestCluster {
  /** The balancer: http://127.0.0.1:<port>. */
  url: string
  /** ws://127.0.0.1:<port>/sync through the balancer. */
  wsUrl: string
  setupToken: string
  databaseUrl: string
  nodes: ClusterNodes
  balancer: Balancer
  redis: ThrowawayRedis
  postgres: ThrowawayPostgres
  /** Stops the balancer, the nodes, Redis and PostgreSQL, and removes their folders. */
  stop(): Promise<void>
}

export interface TestClusterOptions {
  /** Number of nodes; default 3. */
  nodes?: number
  /** Added to every node's environment (over TEST_ENV), e.g. a short lease for fault tests. */
  env?: Record<string, string>
}

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'accord-test-cluster-'))
  const started: {
    postgres?: ThrowawayPostgres
    redis?: ThrowawayRedis
    nodes?: ClusterNodes
    balancer?: Balancer
  } = {}
  const stop = async () => {
    await started.balancer?.stop()
    await started.nodes?.stop()
    await Promise.all([started.redis?.close(), started.postgres?.destroy()])
    await rm(folder, { recursive: true, force: true })
  }
  try {
    const [postgres, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()])
    Object.assign(started, { postgres, redis })
    const admin = databaseAdmin(postgres.adminUrl)
    const databaseUrl = await admin.ensureDatabase('accord_cluster').finally(() => admin.end())
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const env: Record<string, string> = {
      ...TEST_ENV,
      PUBLIC_ORIGIN: url,
      TRUST_PROXY: 'loopback',
      ...options.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
    }
    const nodes = await startClusterNodes({ count: options.nodes ?? 3, folder, env })
    started.nodes = nodes
    const backends = nodes.nodes.map((node) => ({ name: node.nodeId, url: node.url }))
    const balancer = await startHaproxy({ backends, folder, port })
    started.balancer = balancer
    const setupToken = env.SETUP_TOKEN ?? SETUP_TOKEN
    return {
      url,
      wsUrl: `ws://127.0.0.1:${port}/sync`,
      setupToken,
      databaseUrl,
      nodes,
      balancer,
      redis,
      postgres,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
