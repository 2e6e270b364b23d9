/**
 * A throwaway Redis for cluster tests and `npm run cluster`: Debian's `redis-server` on a free loopback port, its
 * working folder temporary, no persistence (Redis only carries messages between nodes; nothing durable is in it).
 * `stop()` and `start()` restart it on the same port, as an operator's restart would, for the "Redis restarted"
 * fault test: the nodes' clients reconnect to the same URL.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './ports.ts'
import { type ServiceProcess, spawnService, waitUntilReady } from './serviceProcess.ts'

export interface ThrowawayRedis {
  /** redis://127.0.0.1:<port>, for REDIS_URL. */
  url: string
  port: number
  /** The running redis-server's pid (undefined while stopped). */
  pid(): number | undefined
  /** Stops the server: SIGTERM (a clean shutdown), or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Starts it again on the same port; resolves once it answers PING. */
  start(): Promise<void>
  /** Stops it and removes its folder. */
  close(): Promise<void>
}

/** `ownProcessGroup`: see SpawnOptions (for `npm run cluster`). */
export async function startThrowawayRedis(
  options: { ownProcessGroup?: boolean } = {},
): Promise<ThrowawayRedis> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'accord-redis-'))
  const port = await freePort()
  let server: ServiceProcess | undefined
  const start = async () => {
    if (server?.running()) return
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--daemonize', 'no']
    args.push('--logfile', path.join(folder, 'redis.log'))
    // No RDB snapshots, no append-only file: a restart starts empty, as the nodes must expect of a message bus.
    args.push('--save', '', '--appendonly', 'no')
    server = spawnService(redisBinary(), args, { ownProcessGroup: options.ownProcessGroup ?? false })
    await waitUntilReady(server, `redis-server on port ${port}`, () => answersPing(port))
  }
  try {
    await start()
  } catch (error) {
    await server?.stop()
    await rm(folder, { recursive: true, force: true })
    throw withInstallHint(error)
  }
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (signal === 'SIGKILL') server?.child.kill('SIGKILL')
    await server?.stop()
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => (server?.running() ? server.pid : undefined),
    stop,
    start,
    async close() {
      await stop()
      await rm(folder, { recursive: true, force: true })
    },
  }
}

/** REDIS_SERVER names another binary; Debian's package puts it on PATH. */
function redisBinary(): string {
  return process.env.REDIS_SERVER || 'redis-server'
}

function withInstallHint(error: unknown): Error {
  const message = (error as Error).message
  if (!/ENOENT/.test(message)) return error as Error
  return new Error(`redis-server was not found (Debian: apt-get install redis-server).\n${message}`)
}

/** Sends an inline PING and waits for +PONG: Redis answers only once it accepts commands (not while loading). */
export function answersPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    let reply = ''
    const finish = (answer: boolean) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(2_000, () => finish(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'))
    })
    socket.once('error', () => finish(false))
  })
}
