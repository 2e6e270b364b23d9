/**
 * The WebSocket upgrade at /sync/:deliverableId. Every refusal is an HTTP status before any WebSocket exists:
 * 403 foreign Origin, 401 no live session, 404 unknown or invisible deliverable, 429 too many connections from
 * this session lately (with Retry-After), 503 unreadable storage.
 */

import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { colorFor } from '../../shared/domain/colors.ts'
import { isWellFormedId } from '../../shared/domain/ids.ts'
import { sessionToken } from '../auth/sessions.ts'
import { isOwnOrigin } from '../config.ts'
import type { AppContext } from '../context.ts'
import { SyncConnection } from './connection.ts'
import { DocumentHeldElsewhereError } from './documentHub.ts'
import type { LiveDocument } from './liveDocument.ts'
import type { PresenceUser } from './presence.ts'

/**
 * Where a document's clients are served, in a cluster (server/cluster/): here, relayed to the node that owns it,
 * or nowhere for a moment (its owner was lost and its lease has not expired yet).
 */
export type DocumentRoute =
  | { kind: 'local' }
  | { kind: 'remote'; relay(socket: WebSocket, client: RelayedClient): void }
  | { kind: 'unavailable'; retryAfterSeconds: number }

export interface RelayedClient {
  user: PresenceUser
  sessionId: string
  canEdit: boolean
}

export interface DocumentRouter {
  route(deliverableId: string): Promise<DocumentRoute>
}

/** ws refuses frames over this outright (code 1009); our own, smaller limits answer with 44xx codes first. */
const HARD_FRAME_LIMIT = 64 * 1024 * 1024

function refuseUpgrade(socket: Duplex, status: number, message: string, retryAfterSeconds?: number): void {
  const body = JSON.stringify({ error: { code: String(status), message } })
  const retry = retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`,
  )
}

export function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

export function attachSyncServer(
  server: Server,
  ctx: AppContext,
  router: DocumentRouter = { route: async () => ({ kind: 'local' }) },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_LIMIT, perMessageDeflate: false })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    void handleUpgrade(req, socket, head).catch((error) => {
      ctx.logger.error({ err: error }, 'upgrade failed')
      refuseUpgrade(socket, 503, 'The document could not be opened.')
    })
  })

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const match = /^\/sync\/([^/?#]+)(?:\?.*)?$/.exec(req.url ?? '')
    let deliverableId = ''
    try {
      deliverableId = match ? decodeURIComponent(match[1]!) : ''
    } catch {
      // Malformed percent-encoding names nothing.
    }
    if (!match || !isWellFormedId(deliverableId)) return refuseUpgrade(socket, 404, 'Not found.')
    if (!isOwnOrigin(req.headers.origin, req.socket, ctx.config))
      return refuseUpgrade(socket, 403, 'Connections from another site are not accepted.')
    const token = sessionToken(req.headers.cookie)
    let resolved = ctx.sessions.resolve(token)
    if (!resolved && token && ctx.refreshOnMiss) {
      await ctx.refreshOnMiss()
      resolved = ctx.sessions.resolve(token)
    }
    if (!resolved) return refuseUpgrade(socket, 401, 'Log in to open this deliverable.')
    const { user, session } = resolved
    const retryAfter = await ctx.connectionLimiter.attempt(session.id)
    if (retryAfter !== null)
      return refuseUpgrade(
        socket,
        429,
        `Too many connections from this session. Try again in ${retryAfter} seconds.`,
        retryAfter,
      )
    if (!ctx.access.mayView(user, deliverableId)) return refuseUpgrade(socket, 404, 'No such deliverable.')
    const presenceUser = {
      id: user.id,
      name: user.name,
      organization: user.organization,
      color: colorFor(user.id),
    }
    const route = await router.route(deliverableId)
    if (route.kind === 'unavailable')
      return refuseUpgrade(
        socket,
        503,
        'This document is moving to another server. Try again in a moment.',
        route.retryAfterSeconds,
      )
    if (route.kind === 'remote') {
      if (socket.destroyed) return
      wss.handleUpgrade(req, socket, head, (ws) =>
        route.relay(ws, {
          user: presenceUser,
          sessionId: session.id,
          canEdit: ctx.access.mayEdit(user, deliverableId),
        }),
      )
      return
    }
    let live: LiveDocument
    try {
      live = await ctx.hub.get(deliverableId)
    } catch (error) {
      if (error instanceof DocumentHeldElsewhereError)
        return refuseUpgrade(
          socket,
          503,
          'This document is moving to another server. Try again in a moment.',
          Math.max(1, Math.ceil(error.validForMs / 1000)),
        )
      ctx.logger.error({ err: error, deliverableId }, 'document storage unreadable')
      return refuseUpgrade(socket, 503, `This document's storage cannot be read: ${(error as Error).message}`)
    }
    if (socket.destroyed) return
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new SyncConnection(
        ws,
        presenceUser,
        session.id,
        ctx.access.mayEdit(user, deliverableId),
      )
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          connection.close(4400, 'text frames are not part of the protocol')
          return
        }
        try {
          live.receive(connection, toBytes(data))
        } catch (error) {
          // Never let one connection's input take the server down.
          ctx.logger.error({ err: error, deliverableId, userId: user.id }, 'message handling failed')
          connection.close(4400, 'message could not be handled')
        }
      })
      ws.on('close', () => {
        connection.closed = true
        live.detach(connection)
      })
      ws.on('error', (error) => ctx.logger.debug({ err: error, deliverableId }, 'socket error'))
      live.attach(connection)
    })
  }

  return wss
}
