/**
 * Measures the server's event-loop stalls from outside, without touching its code: a WebSocket ping on a
 * logged-in observer's sync socket every 5 ms (the server's `ws` answers each pong from its event loop, so a pong
 * is late by as long as the loop was held), and `/api/health` at a slower pace, one request at a time. The longest
 * round trip of either is the longest stall, give or take the probe's own scheduling (its event-loop delay is
 * reported too). Runs in its own process on the load core until stopped.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import WebSocket from 'ws'
import { Samples, type Summary, summarize } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import type { JobContext } from './protocol.ts'
import { rawUrl } from './wire.ts'

export interface ProbeParams {
  target: DocumentTarget
  cookie: string
  pingEveryMs: number
  healthEveryMs: number
}

export interface ProbeResult {
  seconds: number
  /** Ping round trips (ms); a ping never answered (socket closed) counts until its socket closed. */
  ping: Summary
  /** Pings answered after more than 50 ms. */
  pingsOver50Ms: number
  health: Summary
  healthFailures: number
  /** Times the probe's socket was closed by the server (it reconnects). */
  reconnects: number
  /** The probe's own event-loop delay, worst case (ms): what of a long round trip may be the probe's. */
  ownLoopMaxMs: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function open(target: DocumentTarget, cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(rawUrl(target), {
      headers: cookie ? { cookie } : {},
      perMessageDeflate: false,
      maxPayload: 256 * 2 ** 20,
    })
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate()
      reject(new Error(`probe socket: HTTP ${response.statusCode}`))
    })
    socket.once('error', reject)
  })
}

export async function runStallProbe(params: ProbeParams, context: JobContext): Promise<ProbeResult> {
  const loop = monitorEventLoopDelay({ resolution: 1 })
  const pings = new Samples()
  const health = new Samples()
  let healthFailures = 0
  let reconnects = 0
  let pingsOver50Ms = 0
  const record = (ms: number) => {
    pings.push(ms)
    if (ms > 50) pingsOver50Ms++
  }

  let socket = await open(params.target, params.cookie)
  let sentAt = new Map<number, number>()
  let seq = 0
  const watch = (s: WebSocket) => {
    s.on('pong', (data: Buffer) => {
      const n = data.readUInt32BE(0)
      const at = sentAt.get(n)
      if (at === undefined) return
      sentAt.delete(n)
      record(performance.now() - at)
    })
    s.on('error', () => undefined)
    s.on('message', () => undefined)
  }
  watch(socket)
  const started = performance.now()
  loop.enable()

  const pinging = (async () => {
    while (!context.stopped()) {
      if (socket.readyState !== WebSocket.OPEN) {
        // Closed under us (the server cut a slow reader, say): unanswered pings count until now.
        const now = performance.now()
        for (const at of sentAt.values()) record(now - at)
        sentAt = new Map()
        reconnects++
        try {
          socket = await open(params.target, params.cookie)
          watch(socket)
        } catch {
          await sleep(200)
        }
        continue
      }
      const payload = Buffer.alloc(4)
      payload.writeUInt32BE(seq >>> 0)
      sentAt.set(seq >>> 0, performance.now())
      seq++
      socket.ping(payload)
      await sleep(params.pingEveryMs)
    }
  })()

  const url = `${params.target.httpBase}/api/health`
  const checking = (async () => {
    while (!context.stopped()) {
      const t0 = performance.now()
      try {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (!response.ok) healthFailures++
        else health.push(performance.now() - t0)
      } catch {
        healthFailures++
      }
      await sleep(Math.max(0, params.healthEveryMs - (performance.now() - t0)))
    }
  })()

  await context.mark('probing')
  await Promise.all([pinging, checking])
  // Pings still unanswered at the end: wait a little for them, then count what they waited.
  const deadline = performance.now() + 2000
  while (sentAt.size > 0 && performance.now() < deadline) await sleep(10)
  const now = performance.now()
  for (const at of sentAt.values()) record(now - at)
  loop.disable()
  socket.terminate()
  return {
    seconds: (performance.now() - started) / 1000,
    ping: summarize(pings.values()),
    pingsOver50Ms,
    health: summarize(health.values()),
    healthFailures,
    reconnects,
    // The histogram records whole timer intervals: less the 1 ms resolution, the lag.
    ownLoopMaxMs: Math.max(0, loop.max / 1e6 - 1),
  }
}
