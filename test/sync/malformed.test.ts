import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient, rawSocket, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

const SYNC_LIMIT = 64 * 1024
const AWARENESS_LIMIT = 4 * 1024
let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  server = await startTestServer({
    env: { MAX_SYNC_MESSAGE_BYTES: String(SYNC_LIMIT), MAX_AWARENESS_MESSAGE_BYTES: String(AWARENESS_LIMIT) },
  })
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

const bytes = (write: (e: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** A seeded generator (mulberry32), so every run sends the same "random" frames. */
function seeded(seed: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const awarenessWithState = (json: string) =>
  bytes((e) => {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(
      e,
      bytes((a) => {
        encoding.writeVarUint(a, 1)
        encoding.writeVarUint(a, 12345)
        encoding.writeVarUint(a, 1)
        encoding.writeVarString(a, json)
      }),
    )
  })

const MALFORMED: { name: string; frame: Uint8Array | string; code: number }[] = [
  { name: 'a truncated varint', frame: new Uint8Array([0x80]), code: CLOSE_CODES.malformed },
  {
    name: 'a length prefix of 2^31',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint(e, 2 ** 31)
      encoding.writeUint8Array(e, new Uint8Array(16))
    }),
    code: CLOSE_CODES.malformed,
  },
  { name: 'an unknown message type', frame: new Uint8Array([99, 1, 2, 3]), code: CLOSE_CODES.malformed },
  { name: 'an unknown sync step', frame: new Uint8Array([0, 7, 0]), code: CLOSE_CODES.malformed },
  {
    name: 'an update Yjs cannot decode',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint8Array(e, new Uint8Array([5, 255, 255, 255, 255, 15, 9, 9, 9]))
    }),
    code: CLOSE_CODES.malformed,
  },
  {
    name: 'awareness JSON that is not an object',
    frame: awarenessWithState('42'),
    code: CLOSE_CODES.malformed,
  },
  { name: 'awareness that is not JSON', frame: awarenessWithState('{nope'), code: CLOSE_CODES.malformed },
  {
    name: 'an oversized sync frame',
    frame: bytes((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint8Array(e, new Uint8Array(SYNC_LIMIT + 10))
    }),
    code: CLOSE_CODES.tooLarge,
  },
  {
    name: 'an oversized awareness frame',
    frame: awarenessWithState(`{"x":"${'a'.repeat(AWARENESS_LIMIT)}"}`),
    code: CLOSE_CODES.tooLarge,
  },
  { name: 'a text frame', frame: 'hello', code: CLOSE_CODES.malformed },
]

async function sendAndAwaitClose(frame: Uint8Array | string) {
  const raw = await rawSocket(server, ws.deliverable.id, ws.editor.cookie)
  raw.socket.send(frame)
  const timer = setTimeout(() => raw.socket.terminate(), 5000)
  const closed = await raw.closed
  clearTimeout(timer)
  return closed
}

describe('malformed input closes that one connection with a 44xx code', () => {
  for (const { name, frame, code } of MALFORMED) {
    test(name, async () => {
      expect((await sendAndAwaitClose(frame)).code).toBe(code)
    })
  }

  test('1,000 connections each sending such a frame leave the server up, the honest clients connected and the document unchanged', async () => {
    const honest = [ws.editor, ws.editor2].map((s) => connectClient(server, ws.deliverable.id, s.cookie))
    await Promise.all(honest.map((c) => c.synced()))
    const before = honest[0]!.body.toString()
    const random = seeded(20261124)
    const frames = Array.from({ length: 1000 }, (_, i) => {
      if (i % 2 === 0) return MALFORMED[i % MALFORMED.length]!.frame
      const length = 1 + Math.floor(random() * 64)
      return Uint8Array.from({ length }, () => Math.floor(random() * 256))
    })
    for (let start = 0; start < frames.length; start += 50) {
      await Promise.all(
        frames.slice(start, start + 50).map(async (frame) => {
          const raw = await rawSocket(server, ws.deliverable.id, ws.participant.cookie)
          raw.socket.send(frame)
          // Random bytes may happen to form a harmless message: close from our side after a moment.
          const timer = setTimeout(() => raw.socket.terminate(), 300)
          await raw.closed
          clearTimeout(timer)
        }),
      )
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    for (const client of honest) {
      expect(client.closes).toEqual([])
      expect(client.provider.wsconnected).toBe(true)
    }
    const late = connectClient(server, ws.deliverable.id, ws.chair.cookie)
    await late.synced()
    expect(late.body.toString()).toBe(before)
    await waitFor(() => honest[1]!.body.toString() === before, 'honest clients unchanged')
    for (const c of [...honest, late]) c.destroy()
  })
})
