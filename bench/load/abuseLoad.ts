/**
 * The abusers of the "under abuse" scenario, in their own process (niced on the load core, so that the honest
 * clients' timing keeps priority): a flooder that sends oversized and malformed frames on an authenticated
 * connection and reconnects whenever it is closed, and churners that open a connection, ask for the whole
 * document and drop the socket at once, in a loop. The same bytes go to every peer (seeded junk).
 */
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { seededRandom } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import type { JobContext } from './protocol.ts'
import { framer, openingFrames, rawUrl } from './wire.ts'

export interface AbuserParams {
  target: DocumentTarget
  cookie: string
  oversizedBytes: number
  oversizedPerSecond: number
  malformedPerSecond: number
  churners: number
}

export interface AbuserResult {
  seconds: number
  oversizedSent: number
  malformedSent: number
  floodConnections: number
  churnConnections: number
  failedConnections: number
  closeCodes: Record<string, number>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function junk(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256)
  return bytes
}

/** Frames no y-protocols server should accept, each broken differently. */
function malformedFrames(target: DocumentTarget): Uint8Array[] {
  const random = seededRandom(7)
  const frame = framer(target)
  return [
    frame((e) => {
      encoding.writeVarUint(e, 77)
      encoding.writeUint8Array(e, junk(random, 32))
    }),
    frame((e) => encoding.writeUint8(e, 0x80)),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 9)
      encoding.writeUint8Array(e, junk(random, 16))
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint8Array(e, junk(random, 48))
    }),
    frame((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(e, junk(random, 64))
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint(e, 1_000_000)
      encoding.writeUint8Array(e, junk(random, 8))
    }),
  ]
}

function oversizedFrame(target: DocumentTarget, bytes: number): Uint8Array {
  return framer(target)((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, junk(seededRandom(11), bytes))
  })
}

function open(target: DocumentTarget, cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(rawUrl(target), {
      headers: cookie ? { cookie } : {},
      perMessageDeflate: false,
    })
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate()
      reject(new Error(`HTTP ${response.statusCode}`))
    })
    socket.once('error', reject)
  })
}

export async function runAbuser(params: AbuserParams, context: JobContext): Promise<AbuserResult> {
  const { target, cookie } = params
  const malformed = malformedFrames(target)
  const oversized = oversizedFrame(target, params.oversizedBytes)
  const opening = openingFrames(target, true)
  const result: AbuserResult = {
    seconds: 0,
    oversizedSent: 0,
    malformedSent: 0,
    floodConnections: 0,
    churnConnections: 0,
    failedConnections: 0,
    closeCodes: {},
  }
  const started = performance.now()
  const countClose = (code: number) => {
    result.closeCodes[code] = (result.closeCodes[code] ?? 0) + 1
  }

  // Oversized frames are rationed globally (a token bucket); connections alternate between opening with one
  // and opening with a burst of malformed frames, so that servers which close at once still see both.
  let tokens = 1
  let refilled = performance.now()
  const takeToken = () => {
    const now = performance.now()
    tokens = Math.min(2, tokens + ((now - refilled) / 1000) * params.oversizedPerSecond)
    refilled = now
    if (tokens < 1) return false
    tokens -= 1
    return true
  }
  const sendMalformed = (socket: WebSocket, count: number) => {
    for (let i = 0; i < count; i++) {
      socket.send(malformed[result.malformedSent % malformed.length]!)
      result.malformedSent++
    }
  }
  const flood = async () => {
    let connections = 0
    while (!context.stopped()) {
      const oversizedFirst = connections++ % 2 === 0
      if (oversizedFirst) while (!takeToken() && !context.stopped()) await sleep(10)
      let socket: WebSocket
      try {
        socket = await open(target, cookie)
      } catch {
        result.failedConnections++
        await sleep(20)
        continue
      }
      result.floodConnections++
      let closed = false
      socket.on('close', (code) => {
        closed = true
        countClose(code)
      })
      socket.on('error', () => undefined)
      for (const frame of opening) socket.send(frame)
      if (oversizedFirst) {
        socket.send(oversized)
        result.oversizedSent++
      }
      let last = performance.now()
      while (!closed && !context.stopped()) {
        const now = performance.now()
        const due = Math.max(1, Math.round(((now - last) / 1000) * params.malformedPerSecond))
        last = now
        if (socket.bufferedAmount < 16 * 2 ** 20) {
          sendMalformed(socket, due)
          if (takeToken()) {
            socket.send(oversized)
            result.oversizedSent++
          }
        }
        await sleep(10)
      }
      socket.terminate()
    }
  }

  const churn = async () => {
    while (!context.stopped()) {
      try {
        const socket = await open(target, cookie)
        socket.on('error', () => undefined)
        for (const frame of opening) socket.send(frame)
        socket.terminate()
        result.churnConnections++
      } catch {
        result.failedConnections++
        await sleep(5)
      }
    }
  }

  const running = [flood(), ...Array.from({ length: params.churners }, churn)]
  while (result.floodConnections === 0 || result.churnConnections === 0) {
    if (performance.now() - started > 30_000) throw new Error('the abusers could not connect')
    await sleep(20)
  }
  await context.mark('flooding')
  await Promise.all(running)
  result.seconds = (performance.now() - started) / 1000
  return result
}
