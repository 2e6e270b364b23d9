/**
 * Accord as shipped (`server/main.ts`): authentication, permission checks, the lock check and fsync'd storage
 * all on. The benchmark only lowers the password-hashing cost and raises the login limits, which touch login
 * alone (the bench logs in a few dozen users per run), never the sync path.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type ApiClient, client, request } from '../../test/support/http.ts'
import { freePort } from '../../test/support/ports.ts'
import { PinnedServer, ROOT } from './pinnedServer.ts'
import type { DocumentTarget, PeerServer, PeerStartOptions } from './types.ts'

const SETUP_TOKEN = 'bench-setup-token'
const PASSWORD = 'a long enough password'

export const ACCORD_BENCH_ENV: Record<string, string> = {
  SETUP_TOKEN,
  HOST: '127.0.0.1',
  SCRYPT_COST: '1024',
  LOGIN_LIMIT_PER_ACCOUNT: '100000',
  LOGIN_LIMIT_PER_ADDRESS: '100000',
}

async function expectStatus<T = any>(
  response: Promise<{ status: number; body: T }>,
  status: number,
  what: string,
): Promise<T> {
  const answer = await response
  if (answer.status !== status)
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body
}

interface Account {
  id: string
  cookie: string
}

export class AccordPeer implements PeerServer {
  readonly kind = 'accord' as const
  private readonly process: PinnedServer
  private port = 0
  private admin: ApiClient | null = null
  private chair: (Account & { api: ApiClient }) | null = null
  private groupId = ''
  private readonly editorPool: Account[] = []
  private readonly readerPool: Account[] = []
  private users = 0
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
    if (!this.admin) await this.setUp()
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

  /** The administrator, a focus group with a working group, and its chair. */
  private async setUp(): Promise<void> {
    const setup = await request(this.httpBase, 'POST', '/api/setup', {
      token: SETUP_TOKEN,
      email: 'admin@bench.example',
      name: 'Bench Admin',
      password: PASSWORD,
      organization: 'TSB',
    })
    if (setup.status !== 201 || !setup.cookie) throw new Error(`setup: HTTP ${setup.status}`)
    this.admin = client(this.httpBase, setup.cookie)
    const fg = await expectStatus(this.admin.post('/api/groups', { name: 'FG-BENCH' }), 201, 'focus group')
    const wg = await expectStatus(
      this.admin.post('/api/groups', { name: 'WG-BENCH', parentId: fg.group.id }),
      201,
      'working group',
    )
    this.groupId = wg.group.id
    const chair = await this.createUser('Chair')
    await expectStatus(
      this.admin.put(`/api/groups/${this.groupId}/members/${chair.id}`, { role: 'chair' }),
      200,
      'chair role',
    )
    this.chair = { ...chair, api: client(this.httpBase, chair.cookie) }
  }

  private async createUser(name: string): Promise<Account> {
    const email = `user-${++this.users}@bench.example`
    await expectStatus(
      this.admin!.post('/api/users', {
        email,
        name: `${name} ${this.users}`,
        password: PASSWORD,
        organization: 'Org',
      }),
      201,
      'user',
    )
    const login = await request(this.httpBase, 'POST', '/api/auth/login', { email, password: PASSWORD })
    if (login.status !== 200 || !login.cookie) throw new Error(`login: HTTP ${login.status}`)
    return { id: login.body.user.id, cookie: login.cookie }
  }

  private async pool(pool: Account[], count: number, name: string): Promise<Account[]> {
    while (pool.length < count) pool.push(await this.createUser(name))
    return pool.slice(0, count)
  }

  /** A new deliverable (seeded with its skeleton by the server) with editors and observers as members. */
  async newDocument(users: { editors: number; readers: number }): Promise<DocumentTarget> {
    const chair = this.chair!
    const created = await expectStatus(
      chair.api.post('/api/deliverables', {
        title: `Bench ${Date.now().toString(36)}`,
        type: 'technical-report',
        groupId: this.groupId,
      }),
      201,
      'deliverable',
    )
    const id: string = created.deliverable.id
    const editors = await this.pool(this.editorPool, users.editors, 'Editor')
    const readers = await this.pool(this.readerPool, users.readers, 'Observer')
    for (const [list, role] of [
      [editors, 'editor'],
      [readers, 'observer'],
    ] as const) {
      for (const user of list)
        await expectStatus(chair.api.put(`/api/deliverables/${id}/members/${user.id}`, { role }), 200, 'role')
    }
    return {
      peer: 'accord',
      wsBase: `ws://127.0.0.1:${this.port}/sync`,
      httpBase: this.httpBase,
      name: id,
      editors: editors.map((u) => u.cookie),
      readers: readers.map((u) => u.cookie),
      chair: chair.cookie,
      serverSeeded: true,
    }
  }
}
