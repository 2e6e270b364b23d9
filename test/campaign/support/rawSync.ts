/**
 * A raw y-protocols socket that says hello and tells what the server did with one message: closed the socket,
 * refused the update (and why), or applied it (and, if asked, acknowledged it as saved). The answer is exact, not
 * a guess after a timeout: after the message under test the socket sends sync step 1, and the server handles a
 * connection's messages in order, so once the step 2 answer arrives the message before it has been handled.
 */
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { decodeAccordFrame, encodeAccordFrame } from '../../../shared/protocol/accordCodec.ts'
import { MESSAGE_SYNC, PROTOCOL_VERSION, type ServerMessage } from '../../../shared/protocol/messages.ts'
import { syncPayload, syncStep1Frame } from './serverDoc.ts'

export type Outcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'refused'; reason: string; sectionIds: string[] }
  | { kind: 'storage'; message: string }
  | { kind: 'handled'; saved: boolean }
  | { kind: 'upgrade-refused'; status: number }

/** A raw socket's hello: it holds no replica, so it names no clientID. */
export function helloFrame(): Uint8Array {
  return encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION })
}

/** A sync message carrying an update: as an `update` (type 2, the default) or as a sync step 2 (type 1). */
export function updateFrame(update: Uint8Array, as: 'update' | 'step2' = 'update'): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, as === 'update' ? 2 : 1)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The server's Accord message in a frame; null for any other frame. */
export function accordMessage(frame: Uint8Array): ServerMessage | null {
  return decodeAccordFrame(frame) as ServerMessage | null
}

export interface RawSession {
  socket: WebSocket
  received: Uint8Array[]
  messages(): ServerMessage[]
  closed: Promise<{ code: number; reason: string }>
  isClosed(): boolean
  /** Sends a frame, then a sync step 1 probe; answers what became of the frame. */
  send(frame: Uint8Array | string, options?: { awaitSaved?: boolean; timeoutMs?: number }): Promise<Outcome>
  close(): void
}

/** Opens a socket (hello'd unless `hello: false`); rejects with the HTTP status when the upgrade is refused. */
export function openRaw(
  wsBase: string,
  deliverableId: string,
  cookie: string | undefined,
  options: { hello?: boolean; origin?: string } = {},
): Promise<RawSession> {
  const headers: Record<string, string> = {}
  if (cookie) headers.cookie = cookie
  if (options.origin) headers.origin = options.origin
  const socket = new WebSocket(`${wsBase}/${deliverableId}`, { headers })
  const received: Uint8Array[] = []
  let closedWith: { code: number; reason: string } | null = null
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() }
      resolve(closedWith)
    }),
  )
  socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
  const messages = () => received.map(accordMessage).filter((m): m is ServerMessage => m !== null)

  const session: RawSession = {
    socket,
    received,
    messages,
    closed,
    isClosed: () => closedWith !== null,
    close: () => socket.terminate(),
    async send(frame, sendOptions = {}) {
      const timeoutMs = sendOptions.timeoutMs ?? 15_000
      const before = received.length
      const probeAnswers = () =>
        received.slice(before).filter((f) => {
          try {
            return syncPayload(f, 1) !== null
          } catch {
            return false
          }
        }).length
      if (closedWith) return { kind: 'closed', ...(closedWith as { code: number; reason: string }) }
      socket.send(frame)
      socket.send(syncStep1Frame(new Uint8Array([0])))
      const deadline = Date.now() + timeoutMs
      // Step 2 answers to the probe; a handshake answer sent before `before` does not count.
      while (!closedWith && probeAnswers() === 0) {
        if (Date.now() > deadline) throw new Error('the server neither answered the probe nor closed')
        await new Promise((r) => setTimeout(r, 2))
      }
      const after = received.slice(before).map(accordMessage)
      const refused = after.find((m) => m?.type === 'refused')
      if (refused?.type === 'refused')
        return { kind: 'refused', reason: refused.reason, sectionIds: refused.sectionIds ?? [] }
      const storage = after.find((m) => m?.type === 'storage')
      if (storage?.type === 'storage' && !storage.writable)
        return { kind: 'storage', message: storage.message }
      if (closedWith) return { kind: 'closed', ...(closedWith as { code: number; reason: string }) }
      if (!sendOptions.awaitSaved) return { kind: 'handled', saved: false }
      const savedBy = Date.now() + timeoutMs
      while (!received.slice(before).some((f) => accordMessage(f)?.type === 'saved')) {
        if (closedWith || Date.now() > savedBy) return { kind: 'handled', saved: false }
        await new Promise((r) => setTimeout(r, 2))
      }
      return { kind: 'handled', saved: true }
    },
  }

  return new Promise((resolve, reject) => {
    socket.on('unexpected-response', (_req, res) => reject(new UpgradeStatus(res.statusCode ?? 0)))
    socket.on('error', (error) => reject(error))
    socket.on('open', async () => {
      if (options.hello === false) return resolve(session)
      socket.send(helloFrame())
      const deadline = Date.now() + 15_000
      while (!messages().some((m) => m.type === 'welcome')) {
        if (closedWith || Date.now() > deadline) return reject(new Error('no welcome after hello'))
        await new Promise((r) => setTimeout(r, 2))
      }
      resolve(session)
    })
  })
}

export class UpgradeStatus extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`)
  }
}
