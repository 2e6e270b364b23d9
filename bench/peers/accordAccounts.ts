/**
 * The users and deliverables a benchmark makes on an Accord server (one process or a cluster's node): the
 * administrator from the first-run setup, a focus group with a working group and its chair, and pools of
 * editors and observers reused from one document to the next.
 */
import { type ApiClient, client, request } from '../../test/support/http.ts'
import type { DocumentTarget } from './types.ts'

export const SETUP_TOKEN = 'bench-setup-token'
const PASSWORD = 'a long enough password'

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

export class AccordAccounts {
  private admin: ApiClient | null = null
  private chair: (Account & { api: ApiClient }) | null = null
  private groupId = ''
  private readonly editorPool: Account[] = []
  private readonly readerPool: Account[] = []
  private users = 0

  /** `httpBase` is where every request goes (a cluster: the node that should own the documents). */
  constructor(private readonly httpBase: string) {}

  get ready(): boolean {
    return this.admin !== null
  }

  /** The administrator, a focus group with a working group, and its chair. */
  async setUp(): Promise<void> {
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

  /**
   * A new deliverable (seeded with its skeleton by the server) with editors and observers as members; its
   * clients connect to `wsBase` (ws://host:port/sync).
   */
  async newDocument(users: { editors: number; readers: number }, wsBase: string): Promise<DocumentTarget> {
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
      wsBase,
      httpBase: this.httpBase,
      name: id,
      editors: editors.map((u) => u.cookie),
      readers: readers.map((u) => u.cookie),
      chair: chair.cookie,
      serverSeeded: true,
    }
  }
}
