/** A server process pinned to the server core, its output appended to a log file. */
import type { ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { SERVER_CORE, spawnPinned, stopProcess, waitForHttp } from '../lib/processes.ts'

export const ROOT = new URL('../..', import.meta.url).pathname

export class PinnedServer {
  private child: ChildProcess | null = null

  constructor(
    private readonly name: string,
    readonly logPath: string,
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error(`${this.name} is not running`)
    return this.child.pid
  }

  /** Spawns `node <args>` on the server core and waits until `healthUrl` answers; returns the milliseconds. */
  async start(args: string[], env: Record<string, string>, healthUrl: string): Promise<number> {
    const log = openSync(this.logPath, 'a')
    const started = performance.now()
    const child = spawnPinned(SERVER_CORE, process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    this.child = child
    try {
      await waitForHttp(healthUrl, child)
    } catch (error) {
      throw new Error(`${this.name}: ${(error as Error).message}; see ${this.logPath}`)
    }
    return performance.now() - started
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child)
    this.child = null
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null
  }
}
