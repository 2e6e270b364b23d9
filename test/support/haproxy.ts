/**
 * HAProxy (Debian's `haproxy`) in front of Accord nodes, for cluster tests and `npm run cluster`. Its
 * configuration is `deploy/haproxy.cfg`, the file README "Run a cluster" shows, with only the frontend's `bind`
 * address and the backend's `server` lines replaced: the tests run the configuration operators are given.
 */
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { freePort } from './ports.ts'
import { accepting, type ServiceProcess, spawnService, waitUntilReady } from './serviceProcess.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
export const HAPROXY_TEMPLATE = path.join(ROOT, 'deploy/haproxy.cfg')

export interface Backend {
  /** The server's name in HAProxy, answered in X-Served-By: the node id. */
  name: string
  /** Its base URL, http://host:port. */
  url: string
}

export interface Balancer {
  /** http://<host>:<port>, the address users open. */
  url: string
  port: number
  pid: number | undefined
  /** The generated configuration file. */
  configFile: string
  output(): string
  stop(): Promise<void>
}

export interface BalancerOptions {
  backends: Backend[]
  /** A folder of the caller's for the generated configuration (kept until the caller removes it). */
  folder: string
  /** Default: a free port. */
  port?: number
  /** Interface to listen on; default 127.0.0.1. */
  host?: string
  /** See SpawnOptions (for `npm run cluster`). */
  ownProcessGroup?: boolean
}

/**
 * The template with its `bind` line set to `bind` and its `server` lines replaced by one per backend: the first
 * `server` line's position is kept, the others dropped; everything else (checks, timeouts) is the template's.
 */
export function haproxyConfig(template: string, bind: string, backends: Backend[]): string {
  const lines = template.split('\n')
  const bindAt = lines.findIndex((line) => /^\s+bind\s/.test(line))
  const serverLines = lines.flatMap((line, index) => (/^\s+server\s/.test(line) ? [index] : []))
  if (bindAt < 0 || serverLines.length === 0)
    throw new Error('deploy/haproxy.cfg: expected a `bind` line and at least one `server` line')
  const indent = (index: number) => lines[index]!.match(/^\s+/)![0]
  lines[bindAt] = `${indent(bindAt)}bind ${bind}`
  const servers = backends.map(({ name, url }) => {
    if (!/^[\w.-]+$/.test(name))
      throw new Error(`Backend name "${name}": letters, digits, '.', '_', '-' only`)
    return `${indent(serverLines[0]!)}server ${name} ${new URL(url).host}`
  })
  const first = serverLines[0]!
  const dropped = new Set(serverLines.slice(1))
  return lines
    .flatMap((line, index) => (index === first ? servers : dropped.has(index) ? [] : [line]))
    .join('\n')
}

export async function startHaproxy(options: BalancerOptions): Promise<Balancer> {
  const port = options.port ?? (await freePort())
  const host = options.host ?? '127.0.0.1'
  const bind = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const configFile = path.join(options.folder, 'haproxy.cfg')
  await writeFile(configFile, haproxyConfig(await readFile(HAPROXY_TEMPLATE, 'utf8'), bind, options.backends))
  // -db: stay in the foreground, so that the process we hold is HAProxy itself and SIGTERM stops it.
  const balancer: ServiceProcess = spawnService(haproxyBinary(), ['-db', '-f', configFile], {
    ownProcessGroup: options.ownProcessGroup ?? false,
  })
  try {
    const probeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
    await waitUntilReady(balancer, `haproxy on port ${port}`, () => accepting(port, probeHost))
  } catch (error) {
    await balancer.stop()
    const message = (error as Error).message
    throw /ENOENT/.test(message)
      ? new Error(`haproxy was not found (Debian: apt-get install haproxy).\n${message}`)
      : error
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    pid: balancer.pid,
    configFile,
    output: balancer.output,
    // SIGTERM is HAProxy's hard stop: it closes tunnels at once (a soft stop would wait for every WebSocket).
    stop: () => balancer.stop(),
  }
}

function haproxyBinary(): string {
  return process.env.HAPROXY || 'haproxy'
}
