/**
 * Several server processes on one PostgreSQL and one Redis (issue 25, docs/CLUSTER.md): each document has one
 * owner node; clients of the other nodes are relayed to it. Real processes, a real PostgreSQL and Redis, real
 * y-websocket clients, each client pinned to one node's port so that "on different nodes" is certain.
 */
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, onTestFailed, test } from 'vitest'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { encodeAwareness } from '../../server/sync/wire.ts'
import { encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import type { ClientMessage } from '../../shared/protocol/messages.ts'
import {
  agreeByTitle,
  newDeliverable,
  replicaOf,
  savedAll,
  sectionByTitle,
  sendChecked,
  type Workspace,
} from '../consensus/support.ts'
import { buildWorkspace, login, type Session } from '../support/factories.ts'
import { client } from '../support/http.ts'
import {
  bodyText,
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  rawSocket,
  waitFor,
} from '../support/syncClients.ts'
import { startTestCluster, type TestCluster } from '../support/testCluster.ts'
import type { TestServer } from '../support/testServer.ts'

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

let cluster: TestCluster
let ws: Workspace
const clients: LiveClient[] = []

/** Node i as the test helpers take a server (its own address, bypassing the balancer). */
function node(i: number): TestServer {
  const { url, wsUrl, port, dataDir } = cluster.nodes.nodes[i]!
  return {
    url,
    wsUrl,
    port,
    dataDir,
    setupToken: cluster.setupToken,
    stop: () => cluster.nodes.kill(i, 'SIGTERM'),
    kill: () => cluster.nodes.kill(i, 'SIGKILL'),
    restart: () => cluster.nodes.restart(i),
    output: () => cluster.nodes.output(i),
    exitCode: () => null,
    signal: (name) => void cluster.nodes.kill(i, name),
  }
}

/** The balancer, as a server: what a browser reaches. */
function balancer(): TestServer {
  return { ...node(0), url: cluster.url, wsUrl: cluster.wsUrl }
}

beforeAll(async () => {
  // Warnings logged: the step-down of a paused owner is checked in its log.
  cluster = await startTestCluster({ env: { LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'warn' } })
  // Set up through node 1: node 1 creates the deliverable, so it owns its document.
  ws = await buildWorkspace(node(0))
}, 120_000)

afterAll(async () => {
  for (const client of clients) client.destroy()
  await cluster?.stop()
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
    cluster: {
      documentsOwned: number
      relayedIn: number
      relayedOut: number
      refusedAtEdge: number
      peers: string[]
    }
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

describe('presence of clients on other nodes (SYNC.md §4, checked where the client is connected)', () => {
  const names = (watcher: LiveClient) =>
    new Map(
      [...watcher.provider.awareness.getStates()].map(([id, s]) => [
        id,
        (s as { user?: { name?: string } }).user?.name,
      ]),
    )

  test("a forged name shows as the user's own, and another client's caret cannot be overwritten from another node", async () => {
    const onOwner = connectTo(0, ws.editor.cookie)
    const mallory = connectTo(1, ws.editor2.cookie)
    const watcher = connectTo(2, ws.observer.cookie)
    await Promise.all([onOwner.synced(), mallory.synced(), watcher.synced()])
    onOwner.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
    mallory.provider.awareness.setLocalStateField('user', { name: 'Mallory the Chair', color: '#000' })
    await waitFor(
      () =>
        names(watcher).get(onOwner.doc.clientID) !== undefined &&
        names(watcher).get(mallory.doc.clientID) !== undefined,
      'the watcher on node 3 sees both',
    )
    expect(names(watcher).get(mallory.doc.clientID)).toBe(ws.editor2.user.name)
    // Mallory, relayed through node 2, forges an erasing update for the owner-node client's clientID.
    const meta = mallory.provider.awareness.meta.get(onOwner.doc.clientID)!
    mallory.provider.awareness.states.set(onOwner.doc.clientID, { user: { name: 'Forged' } })
    mallory.provider.awareness.meta.set(onOwner.doc.clientID, {
      clock: meta.clock + 5,
      lastUpdated: Date.now(),
    })
    mallory.provider.ws!.send(
      encodeAwareness(encodeAwarenessUpdate(mallory.provider.awareness, [onOwner.doc.clientID])),
    )
    const late = connectTo(2, ws.observer.cookie)
    await late.synced()
    await waitFor(() => names(late).has(onOwner.doc.clientID), 'a new watcher sees the owner-node client')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(names(late).get(onOwner.doc.clientID)).toBe(ws.editor.user.name)
    expect(names(watcher).get(onOwner.doc.clientID)).toBe(ws.editor.user.name)
  })

  test('an oversized presence message closes the client at its own node, before it crosses to the owner', async () => {
    const before = (await health(1)).cluster.refusedAtEdge
    const raw = await rawSocket(node(1), ws.deliverable.id, ws.editor2.cookie)
    const update = new Uint8Array(20_000)
    raw.socket.send(encodeAwareness(update))
    expect((await raw.closed).code).toBe(4413)
    expect((await health(1)).cluster.refusedAtEdge).toBe(before + 1)
    const garbage = await rawSocket(node(1), ws.deliverable.id, ws.editor2.cookie)
    garbage.socket.send(new Uint8Array([1, 200]))
    expect((await garbage.closed).code).toBe(4400)
    expect((await health(1)).cluster.refusedAtEdge).toBe(before + 2)
  })
})

/**
 * A client that types "<name><n> " into the first paragraph of a clause, one token every `everyMs`, while its
 * replica is synced (as y-websocket's own sync handshake needs: an edit sent before the client's reply to the
 * server's sync step 1 would depend on structs the server has not seen yet, and be refused as out of order).
 */
function typist(client: LiveClient, name: string, clause: string, everyMs = 25) {
  let n = 0
  const timer = setInterval(() => {
    if (client.provider.synced) {
      firstParagraphText(clauseByTitle(client.body, clause)).insert(0, `${name}${n} `)
      n++
    }
  }, everyMs)
  return {
    stop: () => clearInterval(timer),
    get typed() {
      return n
    },
  }
}

/** The highest clock of its own the server acknowledged as durable to this client (saved messages). */
function acknowledged(client: LiveClient): number {
  let best = 0
  for (const m of client.messages)
    if (m.type === 'saved') best = Math.max(best, m.clocks[String(client.doc.clientID)] ?? 0)
  return best
}

/** Every node's view after recovery: a fresh reader on each live node sees the same text, holding `expected`. */
async function convergedReaders(deliverableId: string, liveNodes: number[], writers: LiveClient[]) {
  const readers = liveNodes.map((i) => {
    const reader = connectClient(node(i), deliverableId, ws.observer.cookie)
    clients.push(reader)
    return reader
  })
  await Promise.all(readers.map((r) => r.synced()))
  await waitFor(
    () => [...readers, ...writers].every((c) => bodyText(c.body) === bodyText(readers[0]!.body)),
    'every client and reader converged',
    30_000,
  )
  return readers
}

/**
 * A new deliverable, owned by node 1 (created through it), with two editors typing on nodes 2 and 3 under the
 * given names until their edits are acknowledged.
 */
async function typingOnNodes2And3(names: [string, string]) {
  const deliverable = await newDeliverable({ ...ws, chair: via(0, ws.chair) })
  const writers = [
    connectClient(node(1), deliverable.id, ws.editor.cookie, { accord: true }),
    connectClient(node(2), deliverable.id, ws.editor2.cookie, { accord: true }),
  ]
  clients.push(...writers)
  await Promise.all(writers.map((w) => w.synced()))
  const typing = writers.map((writer, i) => typist(writer, names[i]!, 'Scope'))
  await waitFor(() => writers.every((w) => acknowledged(w) > 10), 'edits acknowledged')
  return { deliverable, writers, typing }
}

/** Every token each typist typed is in the text. */
function expectEveryToken(text: string, names: [string, string], typing: { typed: number }[]): void {
  for (const [i, name] of names.entries())
    for (let n = 0; n < typing[i]!.typed; n++) expect(text).toContain(`${name}${n} `)
}

async function rowsByEpoch(deliverableId: string) {
  const db = new pg.Client({ connectionString: cluster.databaseUrl })
  await db.connect()
  try {
    const { rows } = await db.query<{ epoch: string; first: string; last: string }>(
      `SELECT epoch, MIN(seq) AS first, MAX(seq) AS last FROM document_updates WHERE doc_id = $1
        GROUP BY epoch ORDER BY epoch`,
      [deliverableId],
    )
    return rows.map((row) => ({ epoch: Number(row.epoch), first: Number(row.first), last: Number(row.last) }))
  } finally {
    await db.end()
  }
}

describe('sessions and roles on every node', () => {
  test('a logout through one node ends the socket of that session on another node; a lowered role downgrades it', async () => {
    // A second session of the editor, logged in through node 3; its socket is on node 2, its document on node 1.
    const second = await login(node(2), ws.editor.user.email, ws.editor.password)
    const socket = connectClient(node(1), ws.deliverable.id, second.cookie, { accord: true })
    const participant = connectClient(node(1), ws.deliverable.id, ws.editor2.cookie, { accord: true })
    clients.push(socket, participant)
    await Promise.all([socket.synced(), participant.synced()])
    // The chair, through node 3, makes the second editor an observer: the owner downgrades its relayed socket.
    const setRole = (role: string) =>
      via(2, ws.chair).api.put(`/api/deliverables/${ws.deliverable.id}/members/${ws.editor2.user.id}`, {
        role,
      })
    const lowered = await setRole('observer')
    expect(lowered.status, JSON.stringify(lowered.body)).toBeLessThan(300)
    await waitFor(
      () => participant.messages.some((m) => m.type === 'access' && m.canEdit === false),
      'the second editor is told it may no longer edit',
    )
    expect((await setRole('editor')).status).toBeLessThan(300)
    expect((await via(2, second).api.post('/api/auth/logout', {})).status).toBe(204)
    await waitFor(
      () => socket.closes.some((c) => c.code === 4401),
      'the socket is closed: session ended',
      15_000,
    )
  })
})

/** Creates and opens a meeting over these deliverables through node 3; answers its id. */
async function openMeeting(deliverableIds: string[]): Promise<string> {
  const chairOn3 = via(2, ws.chair)
  const created = await chairOn3.api.post('/api/meetings', {
    title: 'Cluster meeting',
    start: '2026-03-08T09:00:00+03:00',
    end: '2026-03-09T17:00:00+03:00',
    place: 'Online',
    timeZone: 'UTC',
    groupId: ws.wg.id,
    deliverableIds,
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const meetingId = created.body.meeting.id as string
  const opened = await chairOn3.api.post(`/api/meetings/${meetingId}/open`)
  expect(opened.status, JSON.stringify(opened.body)).toBe(200)
  return meetingId
}

/** The node holding each document's lease now (as the database says). */
async function holders(docIds: string[]): Promise<(string | undefined)[]> {
  const db = new pg.Client({ connectionString: cluster.databaseUrl })
  await db.connect()
  try {
    const { rows } = await db.query<{ doc_id: string; owner: string }>(
      'SELECT doc_id, owner FROM document_leases WHERE doc_id = ANY($1::text[]) AND expires_at > now()',
      [docIds],
    )
    return docIds.map((id) => rows.find((row) => row.doc_id === id)?.owner)
  } finally {
    await db.end()
  }
}

/** A meeting command over a client's live connection (as the meeting panel sends it). */
function command(client: LiveClient, meetingId: string, action: Record<string, unknown>): void {
  client.provider.ws!.send(encodeAccordFrame({ type: 'meeting', meetingId, action } as ClientMessage))
}

/** The last meeting state a client heard. */
function lastMeeting(client: LiveClient) {
  const heard = client.messages.filter((m) => m.type === 'meeting')
  const last = heard[heard.length - 1]
  return last?.type === 'meeting' ? last.meeting : undefined
}

describe('a meeting in progress', () => {
  beforeEach(() => {
    onTestFailed(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      for (const i of [0, 1, 2]) console.log(`--- node ${i + 1}\n${cluster.nodes.output(i).slice(-6000)}`)
    })
  })
  test('driven through any node, followed on every node: the owner of its deliverable holds it', async () => {
    const deliverable = await newDeliverable({ ...ws, chair: via(0, ws.chair) })
    const meetingId = await openMeeting([deliverable.id])
    const followers = [1, 2].map((i) => {
      const follower = connectClient(node(i), deliverable.id, ws.observer.cookie, { accord: true })
      clients.push(follower)
      return follower
    })
    await Promise.all(followers.map((f) => f.synced()))
    const scope = await sectionByTitle(ws.chair, deliverable.id, 'Scope')
    const discussed = await via(1, ws.chair).api.post(`/api/meetings/${meetingId}/live`, {
      action: { kind: 'discuss', deliverableId: deliverable.id, sectionId: scope.id },
    })
    expect(discussed.status, JSON.stringify(discussed.body)).toBe(200)
    for (const follower of followers)
      await waitFor(
        () =>
          follower.messages.some((m) => m.type === 'meeting' && m.meeting?.clause?.sectionId === scope.id),
        'every follower sees the clause under discussion',
      )
    // Asked through any node, the meeting's state is the same.
    for (const i of [0, 1, 2]) {
      const state = (await via(i, ws.observer).api.get(`/api/meetings/${meetingId}/live`)).body.state
      expect(state.clause).toMatchObject({ sectionId: scope.id })
    }
  })
  test('over deliverables owned by different nodes: they move to one node, and every command reaches one state', async () => {
    const [first, second] = await Promise.all([
      newDeliverable({ ...ws, chair: via(0, ws.chair) }),
      newDeliverable({ ...ws, chair: via(1, ws.chair) }),
    ])
    const onFirst = connectClient(node(0), first.id, ws.editor.cookie, { accord: true })
    const onSecond = connectClient(node(1), second.id, ws.editor2.cookie, { accord: true })
    clients.push(onFirst, onSecond)
    await Promise.all([onFirst.synced(), onSecond.synced()])
    expect(await holders([first.id, second.id])).toEqual(['node-1', 'node-2'])
    const meetingId = await openMeeting([first.id, second.id])
    // The second deliverable joins its meeting's node; its client reconnects and is relayed there.
    await eventually(
      async () => (await holders([second.id]))[0] === 'node-1',
      "the second deliverable is owned by the meeting's node",
    )
    await waitFor(
      () => onSecond.provider.wsconnected && onSecond.provider.synced,
      'the second client is back',
    )
    await waitFor(() => lastMeeting(onSecond)?.meetingId === meetingId, 'the second client hears the meeting')
    // A command over each deliverable's live connection: one queue, seen on both.
    command(onFirst, meetingId, { kind: 'request-floor' })
    await waitFor(() => lastMeeting(onSecond)?.queue.length === 1, 'the second client sees the first speaker')
    command(onSecond, meetingId, { kind: 'request-floor' })
    await waitFor(() => lastMeeting(onFirst)?.queue.length === 2, 'the first client sees both speakers')
    expect(lastMeeting(onFirst)!.queue.map((entry) => entry.name)).toEqual([
      ws.editor.user.name,
      ws.editor2.user.name,
    ])
    const scope = await sectionByTitle(ws.chair, second.id, 'Scope')
    const discussed = await via(2, ws.chair).api.post(`/api/meetings/${meetingId}/live`, {
      action: { kind: 'discuss', deliverableId: second.id, sectionId: scope.id },
    })
    expect(discussed.status, JSON.stringify(discussed.body)).toBe(200)
    await waitFor(
      () => [onFirst, onSecond].every((c) => lastMeeting(c)?.clause?.sectionId === scope.id),
      'both hear what is discussed',
    )
    expect((await via(2, ws.chair).api.post(`/api/meetings/${meetingId}/close`)).status).toBe(200)
  })
})

describe('behind the load balancer (HAProxy, no sticky sessions)', () => {
  test('a session made through one node works on every node; clients through the balancer converge', async () => {
    const viaBalancer = (session: Session) => ({ ...session, api: client(cluster.url, session.cookie) })
    for (let i = 0; i < 6; i++) expect((await viaBalancer(ws.editor).api.get('/api/me')).status).toBe(200)
    const deliverable = await newDeliverable({ ...ws, chair: viaBalancer(ws.chair) })
    const writers = [ws.editor, ws.editor2, ws.chair, ws.editor].map((session) => {
      const c = connectClient(balancer(), deliverable.id, session.cookie, { accord: true })
      clients.push(c)
      return c
    })
    await Promise.all(writers.map((w) => w.synced()))
    const typing = writers.map((w, i) => typist(w, `w${i}-`, 'Scope', 40))
    await waitFor(() => writers.every((w) => acknowledged(w) > 10), 'every writer acknowledged')
    for (const t of typing) t.stop()
    await Promise.all(writers.map((w) => savedAll(w)))
    await convergedReaders(deliverable.id, [0, 1, 2], writers)
    // The four sockets were spread over the nodes, and relayed to one owner.
    const reports = await Promise.all([0, 1, 2].map(health))
    expect(reports.filter((r) => r.cluster.documentsOwned > 0).length).toBeGreaterThanOrEqual(1)
    expect(reports.reduce((n, r) => n + r.cluster.relayedOut, 0)).toBeGreaterThan(0)
  }, 60_000)
})

describe('failures', () => {
  beforeEach(() => {
    onTestFailed(() => {
      for (const i of [0, 1, 2]) console.log(`--- node ${i + 1}\n${cluster.nodes.output(i).slice(-6000)}`)
    })
  })

  test('SIGKILL of the owner under load: another node takes over, nothing acknowledged is lost, clients converge', async () => {
    const names: [string, string] = ['x', 'y']
    const { deliverable, writers, typing } = await typingOnNodes2And3(names)
    await node(0).kill()
    const ackedAtKill = writers.map(acknowledged)
    // Still typing while the document moves; then a while after.
    await waitFor(
      () => writers.every((w) => acknowledged(w) > ackedAtKill[writers.indexOf(w)]! + 20),
      'typing goes on after the take-over',
      30_000,
    )
    for (const t of typing) t.stop()
    await Promise.all(writers.map((w) => savedAll(w)))
    const readers = await convergedReaders(deliverable.id, [1, 2], writers)
    for (const [i, writer] of writers.entries()) {
      const held = Y.decodeStateVector(Y.encodeStateVector(readers[0]!.doc)).get(writer.doc.clientID) ?? 0
      expect(held).toBeGreaterThanOrEqual(ackedAtKill[i]!)
    }
    const epochs = await rowsByEpoch(deliverable.id)
    expect(epochs.length).toBeGreaterThanOrEqual(2)
    await node(0).restart()
  }, 90_000)

  test("SIGKILL of a meeting's node: another node takes over its deliverables and the meeting as it was saved", async () => {
    const [first, second] = await Promise.all([
      newDeliverable({ ...ws, chair: via(0, ws.chair) }),
      newDeliverable({ ...ws, chair: via(0, ws.chair) }),
    ])
    const meetingId = await openMeeting([first.id, second.id])
    const onFirst = connectClient(node(0), first.id, ws.editor.cookie, { accord: true })
    await onFirst.synced()
    const onSecond = connectClient(node(1), second.id, ws.editor2.cookie, { accord: true })
    clients.push(onFirst, onSecond)
    await onSecond.synced()
    await eventually(
      async () => (await holders([first.id, second.id])).every((holder) => holder === 'node-1'),
      'both deliverables are owned by the node of the meeting',
    )
    command(onFirst, meetingId, { kind: 'request-floor' })
    await waitFor(() => lastMeeting(onSecond)?.queue.length === 1, 'the queue holds the first speaker')
    await node(0).kill()
    const heardBefore = onSecond.messages.length
    // The second client's node loses the owner, its client reconnects; after the lease, a new owner reads the
    // meeting back from storage.
    await waitFor(
      () =>
        onSecond.messages
          .slice(heardBefore)
          .some((m) => m.type === 'meeting' && m.meeting?.meetingId === meetingId),
      'the second client hears the meeting again from the new owner',
      30_000,
    )
    expect(lastMeeting(onSecond)!.queue.map((entry) => entry.name)).toEqual([ws.editor.user.name])
    command(onSecond, meetingId, { kind: 'request-floor' })
    await waitFor(() => lastMeeting(onSecond)?.queue.length === 2, 'the new speaker joins the queue as saved')
    const state = (await via(2, ws.observer).api.get(`/api/meetings/${meetingId}/live`)).body.state
    expect(state.queue.map((entry: { name: string }) => entry.name)).toEqual([
      ws.editor.user.name,
      ws.editor2.user.name,
    ])
    onFirst.destroy()
    await node(0).restart()
    expect((await via(2, ws.chair).api.post(`/api/meetings/${meetingId}/close`)).status).toBe(200)
  }, 90_000)

  test('SIGSTOP of the owner past its lease, then SIGCONT: the old owner writes nothing after the take-over, and steps down', async () => {
    const deliverable = await newDeliverable({ ...ws, chair: via(0, ws.chair) })
    const onOwner = connectClient(node(0), deliverable.id, ws.editor.cookie, { accord: true })
    const elsewhere = connectClient(node(1), deliverable.id, ws.editor2.cookie, { accord: true })
    clients.push(onOwner, elsewhere)
    await Promise.all([onOwner.synced(), elsewhere.synced()])
    const typing = [typist(onOwner, 'p', 'Scope'), typist(elsewhere, 'q', 'Scope')]
    await waitFor(() => acknowledged(onOwner) > 10 && acknowledged(elsewhere) > 10, 'edits acknowledged')
    const before = await rowsByEpoch(deliverable.id)
    node(0).signal('SIGSTOP')
    // The client on node 1 keeps typing into its socket: those frames wait in the kernel for the paused owner.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 5000))
    const takenOver = await rowsByEpoch(deliverable.id)
    node(0).signal('SIGCONT')
    await new Promise((resolve) => setTimeout(resolve, 2000))
    for (const t of typing) t.stop()
    await Promise.all([savedAll(onOwner), savedAll(elsewhere)])
    await convergedReaders(deliverable.id, [0, 1, 2], [onOwner, elsewhere])
    const after = await rowsByEpoch(deliverable.id)
    const oldEpoch = before.at(-1)!.epoch
    const newer = after.filter((row) => row.epoch > oldEpoch)
    expect(newer.length).toBeGreaterThan(0)
    // Nothing of the old epoch after the take-over: its rows are exactly those written before the pause...
    const oldRows = after.find((row) => row.epoch === oldEpoch)
    expect(oldRows?.last ?? 0).toBeLessThanOrEqual(takenOver.find((row) => row.epoch === oldEpoch)?.last ?? 0)
    // ...and every row of the new epochs comes after them.
    expect(Math.min(...newer.map((row) => row.first))).toBeGreaterThan(oldRows?.last ?? 0)
    expect(node(0).output()).toMatch(/lease taken over|stale epoch|lease expired/)
  }, 90_000)

  test('a Redis restart under load loses nothing: relays resume and clients resync', async () => {
    const names: [string, string] = ['r', 's']
    const { deliverable, writers, typing } = await typingOnNodes2And3(names)
    await cluster.redis.stop('SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await cluster.redis.start()
    const ackedAtRestart = writers.map(acknowledged)
    await waitFor(
      () => writers.every((w, i) => acknowledged(w) > ackedAtRestart[i]! + 10),
      'typing acknowledged again',
      60_000,
    )
    for (const t of typing) t.stop()
    await Promise.all(writers.map((w) => savedAll(w)))
    const readers = await convergedReaders(deliverable.id, [0, 1, 2], writers)
    const text = bodyText(readers[0]!.body)
    expectEveryToken(text, names, typing)
  }, 150_000)

  test('PostgreSQL unavailable: edits are not acknowledged, nothing acknowledged is lost, the cluster recovers by itself', async () => {
    const names: [string, string] = ['u', 'v']
    const { deliverable, writers, typing } = await typingOnNodes2And3(names)
    await cluster.postgres.stop()
    const ackedAtOutage = writers.map(acknowledged)
    const report = await health(1)
    expect(report.dependencies.database).toBe('unreachable')
    // Past the lease: the owner steps down; nobody can take the document over while the database is away, and
    // nothing is acknowledged (what was in flight when it stopped has had a second to settle).
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const ackedEarlyInOutage = writers.map(acknowledged)
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 1000))
    const ackedDuringOutage = writers.map(acknowledged)
    expect(ackedDuringOutage).toEqual(ackedEarlyInOutage)
    await cluster.postgres.start()
    await waitFor(
      () => writers.every((w, i) => acknowledged(w) > ackedDuringOutage[i]! + 10),
      'typing acknowledged again, without any action',
      60_000,
    )
    for (const t of typing) t.stop()
    await Promise.all(writers.map((w) => savedAll(w)))
    const readers = await convergedReaders(deliverable.id, [0, 1, 2], writers)
    for (const [i, writer] of writers.entries()) {
      const held = Y.decodeStateVector(Y.encodeStateVector(readers[0]!.doc)).get(writer.doc.clientID) ?? 0
      expect(held).toBeGreaterThanOrEqual(ackedAtOutage[i]!)
    }
    const text = bodyText(readers[0]!.body)
    expectEveryToken(text, names, typing)
  }, 150_000)
})
