/**
 * Accord as shipped (`server/main.ts`): authentication, permission checks, the lock check and fsync'd storage
 * all on. The benchmark only lowers the password-hashing cost and raises the login limits, which touch login
 * alone (the bench logs in a few dozen users per run), never the sync path.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../test/support/ports.ts'
import { AccordAccounts, SETUP_TOKEN } from './accordAccounts.ts'
import { PinnedServer, ROOT } from './pinnedServer.ts'
import type { DocumentTarget, PeerServer, PeerStartOptions } from './types.ts'

export const ACCORD_BENCH_ENV: Record<string, string> = {
  SETUP_TOKEN,
  HOST: '127.0.0.1',
  SCRYPT_COST: '1024',
  LOGIN_LIMIT_PER_ACCOUNT: '100000',
  LOGIN_LIMIT_PER_ADDRESS: '100000',
}

export class AccordPeer implements PeerServer {
  readonly kind = 'accord' as const
  private readonly process: PinnedServer
  private port = 0
  private accounts: AccordAccounts | null = null
  private lastOptions: PeerStartOptions = {}

  private constructor(
    readonly dataDir: string,
    readonly logPath: string,
  ) {
    this.process = new PinnedServer('accord', logPath)
  }

  static async create(runDir: string): Promise<AccordPeer> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-bench-data-'))
    return new AccordPeer(dataDir, path.join(runDir, `accord-${path.basename(dataDir)}.log`))
  }

  get pid(): number {
    return this.process.pid
  }

  get httpBase(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(options: PeerStartOptions = {}): Promise<void> {
    this.port ||= await freePort()
    await this.launch(options)
    if (!this.accounts) {
      this.accounts = new AccordAccounts(this.httpBase)
      await this.accounts.setUp()
    }
  }

  private launch(options: PeerStartOptions): Promise<number> {
    this.lastOptions = options
    const args = ['--import', 'tsx']
    if (options.cpuProfileDir) args.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir)
    // BENCH_ACCORD_ROOT benchmarks another checkout of Accord (e.g. a baseline) with the same harness.
    args.push(path.join(process.env.BENCH_ACCORD_ROOT ?? ROOT, 'server/main.ts'))
    const env = { ...ACCORD_BENCH_ENV, ...options.env, PORT: String(this.port), DATA_DIR: this.dataDir }
    return this.process.start(args, env, `${this.httpBase}/api/health`)
  }

  stop(): Promise<void> {
    return this.process.stop()
  }

  /** Restarts on the same data; `options` replace the last start's, except that profiling carries on. */
  async restart(options: PeerStartOptions = this.lastOptions): Promise<number> {
    await this.process.stop()
    const profiling = this.lastOptions.cpuProfileDir ? { cpuProfileDir: this.lastOptions.cpuProfileDir } : {}
    return this.launch({ ...profiling, ...options })
  }

  async dispose(): Promise<void> {
    await this.process.stop()
    await rm(this.dataDir, { recursive: true, force: true })
  }

  /** A new deliverable (seeded with its skeleton by the server) with editors and observers as members. */
  newDocument(users: { editors: number; readers: number }): Promise<DocumentTarget> {
    return this.accounts!.newDocument(users, `ws://127.0.0.1:${this.port}/sync`)
  }
}
