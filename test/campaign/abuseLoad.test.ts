/**
 * Abuse under load (issue part 7): 200 connected clients, mostly lightweight raw sockets that did the sync
 * handshake and a few real providers typing real traces, while one client floods oversized and malformed
 * messages (reconnecting after each cut) and another opens and drops connections in a loop. The abusers are cut
 * off with 44xx codes; every honest socket ends up with exactly the server's document (its stream of sync step 2
 * and updates, which the server may merge into fewer frames, applied and compared); no honest client is disconnected; the server stays up and keeps no leftover connection
 * or presence of the abusers.
 */
import net from 'node:net'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, expect, test } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { MESSAGE_AWARENESS } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { recordFigures } from './support/figures.ts'
import { pause, SEED, seededRandom, sized } from './support/profile.ts'
import { syncPayload, syncStep1Frame } from './support/serverDoc.ts'
import { addClauses, TypingCrew, Typist, type Workspace } from './support/workload.ts'

const CLIENTS = 200
const TYPISTS = 4
const SYNC_LIMIT = 64 * 1024
const AWARENESS_LIMIT = 4 * 1024
const DURATION_MS = sized(4000, 30_000)

let server: TestServer
let ws: Workspace
let id: string

beforeAll(async () => {
  server = await startTestServer({
    env: { MAX_SYNC_MESSAGE_BYTES: String(SYNC_LIMIT), MAX_AWARENESS_MESSAGE_BYTES: String(AWARENESS_LIMIT) },
  })
  ws = await buildWorkspace(server)
  id = ws.deliverable.id
  await addClauses(
    server,
    id,
    ws.editor,
    Array.from({ length: TYPISTS }, (_, i) => ({ id: `typist${i}`, title: `Typist ${i}` })),
  )
})
afterAll(async () => server?.stop())

interface Listener {
  socket: WebSocket
  /** Sync step 2, then every update received, as sent. */
  received: Uint8Array[]
  updateFrames: number
  /** Its stream has been seen to hold the whole document. */
  complete: boolean
  closed: { code: number } | null
}

/** A lightweight honest client: handshake, then it only listens and keeps what it receives. */
function listen(cookie: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.wsUrl}/${id}`, { headers: { cookie } })
    const listener: Listener = { socket, received: [], updateFrames: 0, complete: false, closed: null }
    let synced = false
    socket.on('message', (data: Buffer) => {
      const frame = new Uint8Array(data)
      const step2 = syncPayload(frame, 1)
      if (step2 && !synced) {
        synced = true
        listener.received.push(step2)
        resolve(listener)
        return
      }
      const update = syncPayload(frame, 2)
      if (!update) return
      listener.updateFrames++
      listener.received.push(update)
    })
    socket.on('open', () => socket.send(syncStep1Frame()))
    socket.on('close', (code) => {
      listener.closed = { code }
    })
    socket.on('error', reject)
  })
}

/** Applies the listener's stream to a fresh replica and compares its body with the server's. */
function holdsDocument(listener: Listener, body: string): boolean {
  if (listener.complete) return true
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.mergeUpdates(listener.received))
  listener.complete = replica.getXmlFragment('body').toString() === body
  return listener.complete
}

const frame = (write: (e: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

const ABUSE: (Uint8Array | string)[] = [
  frame((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, new Uint8Array(SYNC_LIMIT + 100))
  }),
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(e, new Uint8Array(AWARENESS_LIMIT + 100).fill(1))
  }),
  new Uint8Array([0x80]),
  new Uint8Array([99, 1, 2, 3]),
  new Uint8Array([0, 7, 0]),
  'not a binary frame',
  frame((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, new Uint8Array([5, 255, 255, 255, 255, 15, 9, 9, 9]))
  }),
  new Uint8Array(2 * 1024 * 1024).fill(0xff),
]

test(
  `${CLIENTS} clients, a flooder and a churner: abusers cut off with 44xx, honest clients get every update`,
  async () => {
    const live = () => server.accord!.ctx.hub.loaded(id)!
    const crew = new TypingCrew(
      [ws.editor, ws.editor2, ws.chair, ws.admin].map((s, i) => Typist.forIndex(server, id, s, i)),
    )
    await crew.synced()
    const readers = [ws.observer, ws.participant]
    const listeners: Listener[] = []
    const honest = CLIENTS - TYPISTS - 2
    for (let start = 0; start < honest; start += 50) {
      const batch = Array.from({ length: Math.min(50, honest - start) }, (_, i) =>
        listen(readers[(start + i) % 2]!.cookie),
      )
      listeners.push(...(await Promise.all(batch)))
    }
    let emitted = 0
    live().doc.on('update', () => emitted++)
    expect(live().connections.size).toBe(honest + TYPISTS)

    const random = seededRandom(SEED + 7)
    let running = true
    const abuse = { connections: 0, closes: [] as number[], churned: 0 }
    const flooder = (async () => {
      while (running) {
        const socket = new WebSocket(`${server.wsUrl}/${id}`, { headers: { cookie: ws.editor.cookie } })
        abuse.connections++
        const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
        socket.on('error', () => undefined)
        socket.on('open', () => {
          for (let n = 0; n < 3; n++) socket.send(ABUSE[Math.floor(random() * ABUSE.length)]!)
        })
        const timer = setTimeout(() => socket.terminate(), 5000)
        abuse.closes.push(await closed)
        clearTimeout(timer)
      }
    })()
    const churner = (async () => {
      while (running) {
        abuse.churned++
        if (random() < 0.5) {
          // Dropped in the middle of the upgrade request.
          const tcp = net.connect(server.port, '127.0.0.1')
          tcp.on('error', () => undefined)
          await new Promise<void>((resolve) => tcp.on('connect', () => resolve()))
          tcp.write(
            `GET /sync/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`,
          )
          tcp.destroy()
        } else {
          const socket = new WebSocket(`${server.wsUrl}/${id}`, {
            headers: { cookie: ws.participant.cookie },
          })
          socket.on('error', () => undefined)
          await new Promise<void>((resolve) => {
            socket.on('open', () => {
              socket.send(syncStep1Frame())
              socket.terminate()
              resolve()
            })
            socket.on('close', () => resolve())
          })
        }
        await pause(2)
      }
    })()

    crew.start(10)
    await pause(DURATION_MS)
    crew.stop()
    running = false
    await Promise.all([flooder, churner])
    await crew.settled(server.wsUrl, id, ws.observer.cookie)
    const text = live().body.toString()
    const deadline = Date.now() + 30_000
    while (!listeners.every((l) => holdsDocument(l, text))) {
      if (Date.now() > deadline) throw new Error('timed out waiting for every listener to hold the document')
      await pause(100)
    }
    expect(listeners.filter((l) => l.closed)).toEqual([])
    expect(crew.typists.flatMap((t) => t.client.closes)).toEqual([])
    const notCut = abuse.closes.filter((code) => code < 4400 || code > 4499)
    expect(notCut).toEqual([])
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    await waitFor(() => live().connections.size === honest + TYPISTS, 'abusers’ connections gone')
    const presences = [...live().awareness.getStates().values()] as { user?: { id: string } }[]
    expect(presences.filter((p) => p.user?.id === ws.participant.user.id)).toEqual([])

    await recordFigures('abuseLoad', {
      clients: listeners.length + crew.typists.length + 2,
      updatesEmitted: emitted,
      updateFramesDelivered: listeners.reduce((sum, l) => sum + l.updateFrames, 0),
      abusiveConnections: abuse.connections,
      abusiveConnectionsCut44xx: abuse.closes.length - notCut.length,
      churnedConnections: abuse.churned,
      transactionsTyped: crew.typed,
    })
    for (const l of listeners) l.socket.terminate()
    crew.destroy()
  },
  sized(120_000, 400_000),
)
