/**
 * Several server processes on one PostgreSQL and one Redis (issue 25, docs/CLUSTER.md): each document has one
 * owner node; clients of the other nodes are relayed to it. Real processes, a real PostgreSQL and Redis, real
 * y-websocket clients, each client pinned to one node's port so that "on different nodes" is certain.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agreeByTitle, replicaOf, sectionByTitle, sendChecked, type Workspace } from '../consensus/support.ts'
import { buildWorkspace, type Session } from '../support/factories.ts'
import { client } from '../support/http.ts'
import { freePort } from '../support/ports.ts'
import { databaseAdmin, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.ts'
import {
  bodyText,
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

const LEASE_MS = 3000

/** Polls an asynchronous condition (waitFor's is synchronous). */
async function eventually(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting: ${what}`)
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'accord-redis-'))
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', folder],
    {
      stdio: 'ignore',
    },
  )
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1')
        socket.once('connect', () => {
          socket.end()
          resolve(true)
        })
        socket.once('error', () => resolve(false))
      }),
    'Redis answers',
  )
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL')
      await rm(folder, { recursive: true, force: true })
    },
  }
}

let postgres: ThrowawayPostgres
let redis: { url: string; stop(): Promise<void> }
let databaseUrl: string
let nodes: TestServer[]
let ws: Workspace
const clients: LiveClient[] = []

function node(i: number): TestServer {
  return nodes[i]!
}

beforeAll(async () => {
  postgres = await startThrowawayPostgres()
  const admin = databaseAdmin(postgres.adminUrl)
  databaseUrl = await admin.ensureDatabase('accord_cluster')
  await admin.end()
  redis = await startRedis()
  nodes = []
  for (const id of ['node-1', 'node-2', 'node-3'])
    nodes.push(
      await startTestServer({
        childProcess: true,
        env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, NODE_ID: id, LEASE_MS: String(LEASE_MS) },
      }),
    )
  // Set up through node 1: node 1 creates the deliverable, so it owns its document.
  ws = await buildWorkspace(node(0))
}, 120_000)

afterAll(async () => {
  for (const client of clients) client.destroy()
  await Promise.all((nodes ?? []).map((n) => n.stop()))
  await redis?.stop()
  await postgres?.stop()
}, 60_000)

/** The same session, its API requests sent to node i. */
function via(i: number, session: Session): Session {
  return { ...session, api: client(node(i).url, session.cookie) }
}

function connectTo(i: number, cookie: string): LiveClient {
  const client = connectClient(node(i), ws.deliverable.id, cookie, { accord: true })
  clients.push(client)
  return client
}

async function health(i: number) {
  return (await fetch(`${node(i).url}/api/health`)).json() as Promise<{
    ok: boolean
    node: string
    dependencies: Record<string, string>
    cluster: { documentsOwned: number; relayedIn: number; relayedOut: number; peers: string[] }
  }>
}

describe('a cluster of three nodes', () => {
  test('each node reports itself and its dependencies', async () => {
    await eventually(async () => (await health(0)).cluster.peers.length === 2, 'node 1 sees the two others')
    const report = await health(1)
    expect(report).toMatchObject({ ok: true, node: 'node-2', dependencies: { database: 'ok', redis: 'ok' } })
  })

  test('clients on different nodes co-edit one deliverable and converge; the document stays on its owner', async () => {
    const onOwner = connectTo(0, ws.editor.cookie)
    const onSecond = connectTo(1, ws.editor2.cookie)
    const onThird = connectTo(2, ws.chair.cookie)
    await Promise.all([onOwner.synced(), onSecond.synced(), onThird.synced()])
    const type = (client: LiveClient, text: string) =>
      firstParagraphText(clauseByTitle(client.body, 'Scope')).insert(0, text)
    for (let i = 0; i < 20; i++) {
      type(onOwner, 'a')
      type(onSecond, 'b')
      type(onThird, 'c')
    }
    await waitFor(
      () =>
        bodyText(onOwner.body) === bodyText(onSecond.body) &&
        bodyText(onSecond.body) === bodyText(onThird.body) &&
        (bodyText(onOwner.body).match(/[abc]/g) ?? []).length >= 60,
      'the three replicas converge',
    )
    const scope = bodyText(onThird.body)
    expect(scope.split('a').length - 1).toBeGreaterThanOrEqual(20)
    expect((await health(0)).cluster.documentsOwned).toBe(1)
    expect((await health(1)).cluster).toMatchObject({ documentsOwned: 0, relayedOut: 1 })
    expect((await health(0)).cluster.relayedIn).toBe(2)
  })

  test('a consensus action sent to any node is taken by the owner; the agreed clause is locked whatever node an attacker uses', async () => {
    // The editor proposes through node 2, the chair agrees through node 3: both forwarded to node 1.
    const mixed = { ...ws, editor: via(1, ws.editor), chair: via(2, ws.chair) }
    const agreed = await agreeByTitle(mixed, ws.deliverable.id, 'Scope')
    expect(agreed.status).toBe('agreed')
    const watcher = connectTo(1, ws.observer.cookie)
    await watcher.synced()
    for (const attackerNode of [1, 2]) {
      const replica = replicaOf(watcher)
      firstParagraphText(clauseByTitle(replica.body, 'Scope')).insert(0, 'forged ')
      const told = await sendChecked(node(attackerNode), ws.deliverable.id, ws.editor, replica.diff())
      expect(told).toMatchObject({ kind: 'refused', reason: 'section-locked' })
    }
    const fresh = connectTo(2, ws.observer.cookie)
    await fresh.synced()
    expect(bodyText(fresh.body)).not.toContain('forged')
    expect((await sectionByTitle(ws.chair, ws.deliverable.id, 'Scope')).status).toBe('agreed')
  })
})
