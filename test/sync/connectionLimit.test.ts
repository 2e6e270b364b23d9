/**
 * A session that opens sync connections in a loop is refused with 429 (and Retry-After) before any WebSocket
 * exists, once it has opened the configured number in the window; its open connections and other sessions are
 * untouched, and it may connect again after the window.
 */
import { describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { connectClient, rawSocket } from '../support/syncClients.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'

const PER_SESSION = 5
const WINDOW_SECONDS = 2

const f = workspaceServerForFile({
  env: {
    SYNC_CONNECTIONS_PER_SESSION: String(PER_SESSION),
    SYNC_CONNECTIONS_WINDOW_SECONDS: String(WINDOW_SECONDS),
  },
})

/** Opens and drops one connection; the HTTP status and Retry-After of a refused upgrade, or 101. */
function churnOnce(cookie: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${f.server.wsUrl}/${f.ws.deliverable.id}`, { headers: { cookie } })
    socket.on('open', () => {
      socket.terminate()
      resolve({ status: 101, retryAfter: undefined })
    })
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] })
      res.resume()
    })
    socket.on('error', reject)
  })
}

describe('a session reconnecting in a loop', () => {
  test('is refused with 429 after the limit, without touching its open connection or other sessions', async () => {
    const open = connectClient(f.server, f.ws.deliverable.id, f.ws.editor.cookie)
    await open.synced()
    const statuses: number[] = []
    let refusal: { status: number; retryAfter: string | undefined } | null = null
    for (let i = 0; i < PER_SESSION + 3; i++) {
      const outcome = await churnOnce(f.ws.editor.cookie)
      statuses.push(outcome.status)
      if (outcome.status === 429) refusal = outcome
    }
    // The live client used one of the session's connections.
    expect(statuses).toEqual([...Array(PER_SESSION - 1).fill(101), ...Array(4).fill(429)])
    expect(Number(refusal?.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(Number(refusal?.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS)

    const other = await rawSocket(f.server, f.ws.deliverable.id, f.ws.editor2.cookie)
    other.socket.close()
    expect(open.closes).toEqual([])
    expect(f.server.accord!.ctx.hub.loaded(f.ws.deliverable.id)!.connections.size).toBeGreaterThanOrEqual(1)

    await new Promise((r) => setTimeout(r, WINDOW_SECONDS * 1000 + 200))
    expect((await churnOnce(f.ws.editor.cookie)).status).toBe(101)
    open.destroy()
  })
})
