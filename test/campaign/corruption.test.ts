/**
 * Damaged files (issue part 3): a torn, cut or zero-filled update log, bytes flipped in the middle or in the last
 * record of an update log, a damaged snapshot, a decision log flipped in the middle or in its last record or with
 * a torn tail, missing storage, and metadata that is not what the server wrote. The server starts, keeps serving
 * everything else, says exactly which file it could not read (the same answer every time it is asked), and never
 * writes over the evidence. Only an incomplete last record is a torn tail (SYNC.md §5), cut off after its bytes
 * were saved aside; a complete record that fails its checksum is refused, also the last one, as it may hold an
 * acknowledged edit or agreement.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace, createAdmin, createDeliverable, setDeliverableRole } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { breakMetadata } from '../support/storedState.ts'
import { clauseByTitle, firstParagraphText } from '../support/syncClients.ts'
import { ON_FILES, ROOT, startTestServer, type TestServer } from '../support/testServer.ts'
import { recordFigures } from './support/figures.ts'
import { openRaw, UpgradeStatus } from './support/rawSync.ts'
import { damageRows, ROW_DAMAGES, type RowDamage, rowsOf } from './support/rowDamages.ts'
import { connectAt, savedAll, type Workspace } from './support/workload.ts'

type Damage = {
  name: string
  outcome: 'refused' | 'repaired'
  names: RegExp
  damage: (dir: string) => Promise<void>
}

const logs = async (dir: string) => (await readdir(dir)).filter((n) => /^updates-\d+\.log$/.test(n)).sort()
const flip = async (file: string, at: (size: number) => number) => {
  const bytes = await readFile(file)
  const offset = at(bytes.length)
  bytes[offset] = bytes[offset]! ^ 0x5a
  await writeFile(file, bytes)
}

const DAMAGES: Damage[] = [
  {
    name: 'an update log cut in the middle of its last record',
    outcome: 'repaired',
    names: /updates-\d+\.log/,
    damage: async (dir) =>
      truncate(
        path.join(dir, (await logs(dir)).at(-1)!),
        (await stat(path.join(dir, (await logs(dir)).at(-1)!))).size - 3,
      ),
  },
  {
    name: 'zeros after the last record of an update log (the file grew, its data never reached the disk)',
    outcome: 'repaired',
    names: /updates-\d+\.log/,
    damage: async (dir) =>
      writeFile(path.join(dir, (await logs(dir)).at(-1)!), new Uint8Array(512), { flag: 'a' }),
  },
  {
    name: 'a byte flipped in the last record of an update log',
    outcome: 'refused',
    names: /updates-\d+\.log at byte \d+: checksum mismatch/,
    damage: async (dir) => flip(path.join(dir, (await logs(dir)).at(-1)!), (size) => size - 2),
  },
  {
    name: 'a byte flipped in the middle of an update log',
    outcome: 'refused',
    names: /updates-\d+\.log at byte \d+/,
    damage: async (dir) => flip(path.join(dir, (await logs(dir)).at(-1)!), () => 12),
  },
  {
    name: 'a byte flipped in the header of a snapshot',
    outcome: 'refused',
    names: /snapshot\.bin at byte \d+/,
    damage: async (dir) => flip(path.join(dir, 'snapshot.bin'), () => 6),
  },
  {
    name: 'a snapshot cut short',
    outcome: 'refused',
    names: /snapshot\.bin/,
    damage: async (dir) => truncate(path.join(dir, 'snapshot.bin'), 40),
  },
  {
    name: 'an empty snapshot',
    outcome: 'refused',
    names: /snapshot\.bin/,
    damage: async (dir) => truncate(path.join(dir, 'snapshot.bin'), 0),
  },
  {
    name: 'a byte flipped in the middle of the decision log',
    outcome: 'refused',
    names: /decisions\.log at byte \d+/,
    // In the first record, with valid ones after it: damage, not a torn tail.
    damage: async (dir) => flip(path.join(dir, 'decisions.log'), () => 12),
  },
  {
    name: 'a byte flipped in the last record of the decision log',
    outcome: 'refused',
    names: /decisions\.log at byte \d+: checksum mismatch/,
    // A complete record: an acknowledged agreement that must not be dropped (the clause would unlock).
    damage: async (dir) => flip(path.join(dir, 'decisions.log'), (size) => size - 2),
  },
  {
    name: 'a torn record at the end of the decision log',
    outcome: 'repaired',
    names: /decisions\.log/,
    damage: async (dir) =>
      writeFile(
        path.join(dir, 'decisions.log'),
        Buffer.concat([
          await readFile(path.join(dir, 'decisions.log')),
          Buffer.from([0, 0, 0, 90, 1, 2, 3, 4, 5]),
        ]),
      ),
  },
  {
    name: 'a document directory with neither snapshot nor log',
    outcome: 'refused',
    names: /no snapshot and no update log/,
    damage: async (dir) => {
      for (const name of await readdir(dir)) if (name !== 'decisions.log') await rm(path.join(dir, name))
    },
  },
  {
    name: 'a document directory that is gone',
    outcome: 'refused',
    names: /missing from the data directory/,
    damage: async (dir) => rm(dir, { recursive: true }),
  },
]

/** The operator's repair command (server/tools/repairLog.ts), as `npm run repair` runs it. */
function runRepair(args: string[]): Promise<{ status: number; stderr: string }> {
  const command = ['--import', 'tsx', 'server/tools/repairLog.ts', ...args]
  return new Promise((resolve) => {
    execFile(process.execPath, command, { cwd: ROOT }, (error, _stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stderr })
    })
  })
}

let server: TestServer
let ws: Workspace
const cases: { damage: Damage; id: string; dir: string; before: Map<string, string> }[] = []
let healthy: string
let checks = 0

async function fingerprint(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of await readdir(dir).catch(() => [] as string[]))
    files.set(
      name,
      createHash('sha256')
        .update(await readFile(path.join(dir, name)))
        .digest('hex'),
    )
  return files
}

/**
 * A deliverable with a snapshot, separate updates after it, and a decision record (Scope agreed, Summary
 * proposed): every kind of stored state there is to damage.
 */
async function draftDeliverable(): Promise<string> {
  const deliverable = await createDeliverable(ws.chair, ws.wg.id)
  await setDeliverableRole(ws.chair, deliverable.id, ws.editor.user.id, 'editor')
  const editor = connectAt(server, deliverable.id, ws.editor)
  await editor.synced()
  // Enough text for a compaction (a snapshot and a later log), then separate updates after it.
  const text = firstParagraphText(clauseByTitle(editor.body, 'Summary'))
  for (let n = 0; n < 60; n++) text.insert(text.length, `Sentence ${n} of the summary. `)
  await savedAll(editor)
  await new Promise((r) => setTimeout(r, 200))
  for (let n = 0; n < 5; n++) {
    text.insert(0, `<${n}>`)
    await savedAll(editor)
  }
  editor.destroy()
  const sections = (await ws.chair.api.get(`/api/deliverables/${deliverable.id}`)).body.sections
  const idOf = (title: string) => sections.find((s: { title: string }) => s.title === title).id
  const act = (session: typeof ws.chair, title: string, action: string) =>
    session.api.post(`/api/deliverables/${deliverable.id}/sections/${idOf(title)}/actions`, { action })
  await act(ws.editor, 'Scope', 'propose')
  await act(ws.editor, 'Summary', 'propose')
  await act(ws.chair, 'Scope', 'agree')
  return deliverable.id
}

/**
 * The deliverable is refused with 503, twice in the same words naming `names`, on HTTP and on the socket (and its
 * history too when `history`); every other deliverable is still served.
 */
async function expectRefused(id: string, names: RegExp, history: boolean): Promise<void> {
  const get = (p: string) => request(server.url, 'GET', p, undefined, { cookie: ws.chair.cookie })
  const answers = [await get(`/api/deliverables/${id}`), await get(`/api/deliverables/${id}`)]
  for (const answer of answers) {
    expect(answer.status, JSON.stringify(answers.map((a) => [a.status, a.body]))).toBe(503)
    expect(answer.body.error.code).toBe('storage_unavailable')
    expect(answer.body.error.message).toMatch(names)
  }
  // The same words every time it is asked, on every route and on the socket.
  expect(answers[1]!.body.error.message).toBe(answers[0]!.body.error.message)
  if (history) {
    const answer = await get(`/api/deliverables/${id}/sections/anything/history`)
    expect(answer.status, JSON.stringify(answer.body)).toBe(503)
  }
  await expect(openRaw(server.wsUrl, id, ws.chair.cookie)).rejects.toEqual(new UpgradeStatus(503))
  checks += 4
  // Everything else is still served.
  expect((await get(`/api/deliverables/${healthy}`)).status).toBe(200)
  expect((await get('/api/deliverables')).status).toBe(200)
}

/** A server whose metadata is unreadable starts, says where on /api/health, and refuses even the first setup. */
async function expectServesNothing(broken: TestServer, names: string | RegExp): Promise<void> {
  const health = await request(broken.url, 'GET', '/api/health')
  expect(health.status).toBe(503)
  expect(health.body.error.message).toMatch(names)
  const setup = await request(broken.url, 'POST', '/api/setup', {
    token: broken.setupToken,
    email: 'x@example.org',
    name: 'X',
    password: 'long enough pw',
  })
  expect(setup.status).toBe(503)
  checks += 2
}

const startDamaged = () => startTestServer({ env: { COMPACT_AFTER_BYTES: '1500' } })

beforeAll(async () => {
  if (!ON_FILES) return
  server = await startDamaged()
  ws = await buildWorkspace(server)
  healthy = ws.deliverable.id
  for (const damage of DAMAGES) {
    const id = await draftDeliverable()
    cases.push({ damage, id, dir: path.join(server.dataDir, 'docs', id), before: new Map() })
  }
  await server.stop({ keepData: true })
  for (const c of cases) {
    expect(await readdir(c.dir)).toContain('snapshot.bin')
    await c.damage.damage(c.dir)
    c.before = await fingerprint(c.dir)
  }
  server = await startTestServer({ dataDir: server.dataDir })
})

afterAll(async () => {
  await recordFigures('corruption', {
    ...(ON_FILES ? { damagedFilesChecked: DAMAGES.length } : { damagedRowsChecked: ROW_DAMAGES.length }),
    corruptionChecks: checks,
  })
  await server?.stop()
})

// Bytes in files of the file backend; on PostgreSQL the same damage is done to rows (below).
describe.skipIf(!ON_FILES)('damaged document files', () => {
  for (const [index, damage] of DAMAGES.entries()) {
    test(`${damage.name}: ${damage.outcome === 'refused' ? 'refused with the file named, left as it is' : 'cut off, saved aside, the rest loads'}`, async () => {
      const c = cases[index]!
      if (damage.outcome === 'repaired') {
        for (let n = 0; n < 2; n++) {
          const answer = await request(server.url, 'GET', `/api/deliverables/${c.id}`, undefined, {
            cookie: ws.chair.cookie,
          })
          expect(answer.status, JSON.stringify(answer.body)).toBe(200)
        }
        checks += 2
        const after = await readdir(c.dir)
        expect(after.some((n) => n.includes('.torn-'))).toBe(true)
        return
      }
      await expectRefused(c.id, damage.names, /decisions|missing/.test(damage.names.source))
      expect(await fingerprint(c.dir)).toEqual(c.before)
    })
  }

  test('after a restart, nothing damaged was written over, and the answers are the same', async () => {
    await server.stop({ keepData: true })
    server = await startTestServer({ dataDir: server.dataDir })
    for (const c of cases.filter((k) => k.damage.outcome === 'refused')) {
      const answer = await request(server.url, 'GET', `/api/deliverables/${c.id}`, undefined, {
        cookie: ws.chair.cookie,
      })
      expect(answer.status).toBe(503)
      expect(answer.body.error.message).toMatch(c.damage.names)
      expect(await fingerprint(c.dir)).toEqual(c.before)
      checks++
    }
  })

  test('`npm run repair` on each refused log saves it aside and cuts it; the deliverable is served again', async () => {
    await server.stop({ keepData: true })
    const repairable = cases.filter(
      (c) => c.damage.outcome === 'refused' && /updates|decisions/.test(c.damage.names.source),
    )
    for (const c of repairable) {
      const decisions = c.damage.names.source.includes('decisions') ? ['--decisions'] : []
      const target = ['--data-dir', server.dataDir, '--document', c.id, ...decisions]
      const result = await runRepair([...target, '--yes'])
      expect(result.status, `${c.damage.name}: ${result.stderr}`).toBe(0)
      expect((await readdir(c.dir)).some((n) => n.includes('.damaged-'))).toBe(true)
    }
    server = await startTestServer({ dataDir: server.dataDir })
    for (const c of repairable) {
      const answer = await request(server.url, 'GET', `/api/deliverables/${c.id}`, undefined, {
        cookie: ws.chair.cookie,
      })
      expect(answer.status, `${c.damage.name}: ${JSON.stringify(answer.body)}`).toBe(200)
      checks++
    }
  })
})

describe.skipIf(!ON_FILES)('metadata that is not what the server wrote', () => {
  const variants: [string, string | null][] = [
    ['valid JSON of another shape', '{"version": 2, "users": {}}'],
    ['an empty file', ''],
    ['a JSON array', '[]'],
    ['a directory instead of a file', null],
  ]
  for (const [name, content] of variants) {
    test(`${name}: the server starts, names metadata.json, serves nothing, and leaves it as it is`, async () => {
      const first = await startTestServer()
      const dataDir = first.dataDir
      await first.stop({ keepData: true })
      const file = path.join(dataDir, 'metadata.json')
      await rm(file, { force: true })
      if (content === null) await mkdir(file)
      else await writeFile(file, content)
      const broken = await startTestServer({ dataDir })
      try {
        await expectServesNothing(broken, file)
      } finally {
        await broken.stop({ keepData: true })
      }
      if (content === null) expect((await stat(file)).isDirectory()).toBe(true)
      else expect(await readFile(file, 'utf8')).toBe(content)
      await rm(dataDir, { recursive: true, force: true })
    })
  }
})

describe.skipIf(ON_FILES)('damaged rows in PostgreSQL', () => {
  const rowCases: { damage: RowDamage; id: string; before: string }[] = []

  beforeAll(async () => {
    server = await startDamaged()
    ws = await buildWorkspace(server)
    healthy = ws.deliverable.id
    for (const damage of ROW_DAMAGES) rowCases.push({ damage, id: await draftDeliverable(), before: '' })
    await server.stop({ keepData: true })
    for (const c of rowCases) {
      await damageRows(server.databaseUrl!, c.id, c.damage)
      c.before = await rowsOf(server.databaseUrl!, c.id)
    }
    server = await startTestServer({ dataDir: server.dataDir })
  })

  for (const [index, damage] of ROW_DAMAGES.entries()) {
    test(`${damage.name}: refused with the row named, left as it is`, async () => {
      const c = rowCases[index]!
      await expectRefused(c.id, damage.names, damage.names.source.includes('document_events'))
      expect(await rowsOf(server.databaseUrl!, c.id)).toBe(c.before)
    })
  }

  test('after a restart, no damaged row was written over, and the answers are the same', async () => {
    await server.stop({ keepData: true })
    server = await startTestServer({ dataDir: server.dataDir })
    for (const c of rowCases) {
      const answer = await request(server.url, 'GET', `/api/deliverables/${c.id}`, undefined, {
        cookie: ws.chair.cookie,
      })
      expect(answer.status).toBe(503)
      expect(answer.body.error.message).toMatch(c.damage.names)
      expect(await rowsOf(server.databaseUrl!, c.id)).toBe(c.before)
      checks++
    }
  })

  test('metadata rows that are not what the server wrote: it starts, names the row, serves and writes nothing', async () => {
    const first = await startTestServer()
    await createAdmin(first)
    await first.stop({ keepData: true })
    const damage = await breakMetadata(first)
    const before = await damage.read()
    const broken = await startTestServer({ dataDir: first.dataDir })
    try {
      await expectServesNothing(broken, /metadata_rows\(collection=users, id=\S+\)/)
      expect(await damage.read()).toBe(before)
    } finally {
      await broken.stop()
    }
  })
})
