/**
 * A service the tests or `npm run cluster` run as a child process (redis-server, haproxy, an Accord node): its
 * recent output kept for error messages, a graceful stop that escalates to SIGKILL, and waits for readiness that
 * give up at once when the process died instead of waiting out the timeout.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'

/** Output kept per process: enough for the error that made it exit, bounded for long runs at LOG_LEVEL=info. */
const KEPT_OUTPUT = 64 * 1024

export interface ServiceProcess {
  readonly child: ChildProcess
  readonly pid: number | undefined
  /** The last 64 KiB of stdout and stderr together. */
  output(): string
  /** Running: not yet exited (a process stopped by SIGSTOP is running). */
  running(): boolean
  /** Resolves when the process has exited (at once if it already has). */
  exited(): Promise<void>
  /** SIGTERM (after SIGCONT, in case it is paused), then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Called with every chunk of output, e.g. to forward a node's log with its name. */
  onOutput?: (text: string) => void
  /**
   * Its own process group: a terminal's Ctrl-C then reaches only our process, which stops its services in order
   * (nodes before the databases they flush to). Off for tests, where Ctrl-C should stop everything at once.
   */
  ownProcessGroup?: boolean
}

export function spawnService(command: string, args: string[], options: SpawnOptions = {}): ServiceProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  })
  let output = ''
  const record = (chunk: Buffer) => {
    const text = chunk.toString()
    output = (output + text).slice(-KEPT_OUTPUT)
    options.onOutput?.(text)
  }
  child.stdout?.on('data', record)
  child.stderr?.on('data', record)
  // A missing binary arrives as an 'error' event: keep it as output so that the wait reports it.
  child.on('error', (error) => (output += `\n${error.message}`))
  // 'exit', not 'close': a grandchild that inherited the pipes must not keep us waiting.
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const running = () => child.exitCode === null && child.signalCode === null && !spawnFailed(child)
  return {
    child,
    pid: child.pid,
    output: () => output,
    running,
    exited: () => (running() ? done : Promise.resolve()),
    async stop(graceMs = 20_000) {
      if (!running()) return
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await done
      clearTimeout(timer)
    },
  }
}

/** A spawn that failed (ENOENT) has no pid and never exits. */
function spawnFailed(child: ChildProcess): boolean {
  return child.pid === undefined
}

/**
 * Polls `ready` every 100 ms until it answers true; throws with the process's output when the process exits
 * first or `timeoutMs` passes.
 */
export async function waitUntilReady(
  service: ServiceProcess,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!service.running()) throw new Error(`${what} exited during start:\n${service.output()}`)
    if (await ready().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${service.output()}`)
}

/** True when `GET <baseUrl>/api/health` answers 200. */
export async function healthy(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) })
  await response.body?.cancel()
  return response.ok
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function accepting(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Whether a process with this pid is alive, by /proc: a zombie (exited, not yet reaped: its parent is gone and
 * PID 1 of a container may never reap it) counts as gone.
 */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The state follows the command name, which is in parentheses and may itself contain spaces or ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}
