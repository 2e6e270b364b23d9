/**
 * K Accord server processes (`server/main.ts`, as `npm start` runs it) sharing one PostgreSQL and one Redis: a
 * cluster's nodes, for cluster tests and `npm run cluster`. Each node has its own port, NODE_ID (`node-1`, …),
 * NODE_URL and DATA_DIR; they share everything else, SETUP_TOKEN included (any node may serve the setup page).
 * A node can be killed with any signal (SIGKILL a crash, SIGSTOP a pause past its lease) and restarted on the same
 * port and id, as an operator's restart.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './ports.ts'
import { healthy, type ServiceProcess, spawnService, waitUntilReady } from './serviceProcess.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface ClusterNodeOptions {
  count: number
  /**
   * The nodes' shared environment: DATABASE_URL and REDIS_URL at least, then SETUP_TOKEN, TRUST_PROXY,
   * PUBLIC_ORIGIN, LOG_LEVEL… (on top of this process's environment). PORT, HOST, DATA_DIR, NODE_ID and NODE_URL
   * are set per node.
   */
  env: Record<string, string>
  /** Where the nodes' DATA_DIRs go (one folder per node id); default a temporary folder, removed by stop(). */
  folder?: string
  /** Called with each chunk a node writes to stdout or stderr. */
  onOutput?: (nodeId: string, text: string) => void
  /** See SpawnOptions (for `npm run cluster`). */
  ownProcessGroup?: boolean
  /** Time for a node to answer /api/health after its start; default 60 s (a loaded machine starts slowly). */
  startTimeoutMs?: number
}

export interface ClusterNode {
  nodeId: string
  port: number
  /** http://127.0.0.1:<port>: NODE_URL, where the other nodes reach it directly. */
  url: string
  /** ws://127.0.0.1:<port>/sync, for clients that connect to this node directly, bypassing the balancer. */
  wsUrl: string
  dataDir: string
}

export interface ClusterNodes {
  nodes: readonly ClusterNode[]
  /** The pid of node `i`'s current process (undefined when it has exited). */
  pid(i: number): number | undefined
  running(i: number): boolean
  /** Output of node `i`'s current process (its last 64 KiB). */
  output(i: number): string
  /**
   * Sends `signal` to node `i` (default SIGKILL, a crash). SIGKILL, SIGTERM and SIGINT resolve once the process
   * has exited; SIGSTOP and SIGCONT (a pause and its end) resolve at once.
   */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>
  /** Starts node `i` again on the same port, id and DATA_DIR (stopping it first if it runs); resolves when healthy. */
  restart(i: number): Promise<void>
  /** SIGTERM to every node (after SIGCONT), waits for them all, removes the folder when it made it. */
  stop(): Promise<void>
}

const TERMINATING = new Set<NodeJS.Signals>(['SIGKILL', 'SIGTERM', 'SIGINT'])

export async function startClusterNodes(options: ClusterNodeOptions): Promise<ClusterNodes> {
  for (const name of ['DATABASE_URL', 'REDIS_URL'])
    if (!options.env[name]) throw new Error(`startClusterNodes: env.${name} is required`)
  const folder = options.folder ?? (await mkdtemp(path.join(os.tmpdir(), 'accord-nodes-')))
  const nodes: ClusterNode[] = []
  for (let i = 0; i < options.count; i++) {
    const nodeId = `node-${i + 1}`
    const port = await freePort()
    const dataDir = path.join(folder, nodeId)
    await mkdir(dataDir, { recursive: true })
    const url = `http://127.0.0.1:${port}`
    nodes.push({ nodeId, port, url, wsUrl: `ws://127.0.0.1:${port}/sync`, dataDir })
  }
  const processes: (ServiceProcess | undefined)[] = nodes.map(() => undefined)

  const launch = async (i: number) => {
    const node = nodes[i]!
    const env = {
      ...process.env,
      CLIENT_DIR: path.join(ROOT, 'dist/client'),
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(node.port),
      DATA_DIR: node.dataDir,
      NODE_ID: node.nodeId,
      NODE_URL: node.url,
    }
    const service = spawnService(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env,
      ownProcessGroup: options.ownProcessGroup ?? false,
      ...(options.onOutput ? { onOutput: (text: string) => options.onOutput!(node.nodeId, text) } : {}),
    })
    processes[i] = service
    const what = `Accord ${node.nodeId} on port ${node.port}`
    await waitUntilReady(service, what, () => healthy(node.url), options.startTimeoutMs ?? 60_000)
  }

  const stopAll = () => Promise.all(processes.map((service) => service?.stop()))
  try {
    await Promise.all(nodes.map((_, i) => launch(i)))
  } catch (error) {
    await stopAll()
    if (!options.folder) await rm(folder, { recursive: true, force: true })
    throw error
  }

  const at = (i: number) => {
    const service = processes[i]
    if (!service) throw new Error(`No node ${i} (the cluster has ${nodes.length})`)
    return service
  }
  return {
    nodes,
    pid: (i) => (at(i).running() ? at(i).pid : undefined),
    running: (i) => at(i).running(),
    output: (i) => at(i).output(),
    async kill(i, signal = 'SIGKILL') {
      const service = at(i)
      if (!service.running()) return
      service.child.kill(signal)
      if (!TERMINATING.has(signal)) return
      // A paused node would hold a SIGTERM until it is continued: continue it, so that the wait can end.
      if (signal !== 'SIGKILL') service.child.kill('SIGCONT')
      await service.exited()
    },
    async restart(i) {
      await at(i).stop()
      await launch(i)
    },
    async stop() {
      await stopAll()
      if (!options.folder) await rm(folder, { recursive: true, force: true })
    },
  }
}
