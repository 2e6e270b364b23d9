/**
 * The edge's side of the relay: a client connected to this node whose document another node owns. This node
 * authenticated it and decided what it may do (the policy, from the shared metadata). Its frames are screened here
 * (edgeScreen.ts: whole messages, size limits, presence it may set), then go to the owner, and nothing of them is
 * applied here. What the owner sends back reaches the client unchanged.
 * When the link to the owner breaks (lost messages, the owner gone), the client is closed with "try again later":
 * it reconnects, is routed to whoever owns the document then, and resyncs.
 */
import { randomUUID } from 'node:crypto'
import type { WebSocket } from 'ws'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { Logger } from '../logger.ts'
import type { MessageLimits } from '../sync/messageSize.ts'
import type { PresenceUser } from '../sync/presence.ts'
import { EdgeScreen } from './edgeScreen.ts'
import type { LinkListener, NodeLinks } from './nodeLinks.ts'
import type { RelayMessage } from './relayMessages.ts'

/** As for a local client (sync/connection.ts): one that reads this far behind is cut off. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024

export interface EdgeClient {
  docId: string
  owner: string
  user: PresenceUser
  sessionId: string
  canEdit: boolean
}

interface Edge {
  socket: WebSocket
  owner: string
  docId: string
  screen: EdgeScreen
}

export class RelayEdge implements LinkListener {
  private readonly edges = new Map<string, Edge>()
  /** Clients closed here by the screen (reported in the health report). */
  refused = 0

  /** Relayed clients (reported in the health report). */
  get size(): number {
    return this.edges.size
  }

  constructor(
    private readonly links: NodeLinks,
    private readonly limits: MessageLimits,
    private readonly logger: Logger,
  ) {
    links.listen(this)
  }

  /** Relays a client's socket to the document's owner. */
  attach(socket: WebSocket, client: EdgeClient, toBytes: (data: unknown) => Uint8Array): void {
    const connId = randomUUID()
    const screen = new EdgeScreen(
      client.user,
      this.limits,
      (clientId) => this.introducedByAnother(connId, client.docId, clientId),
      (bytes) => this.toOwner(connId, bytes),
      (why) => this.refuse(connId, CLOSE_CODES.malformed, 'malformed message', why),
    )
    this.edges.set(connId, { socket, owner: client.owner, docId: client.docId, screen })
    this.links.send(client.owner, {
      kind: 'open',
      connId,
      docId: client.docId,
      user: client.user,
      sessionId: client.sessionId,
      canEdit: client.canEdit,
    })
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        this.refuse(connId, CLOSE_CODES.malformed, 'text frames are not part of the protocol')
        return
      }
      if (!this.edges.has(connId)) return
      const bytes = toBytes(data)
      const screened = screen.screen(bytes)
      if (screened.kind === 'forward') this.toOwner(connId, bytes)
      else if (screened.kind === 'close') {
        if (screened.notice) socket.send(screened.notice)
        this.refuse(connId, screened.code, screened.reason, screened.why)
      }
    })
    socket.on('close', () => {
      const edge = this.edges.get(connId)
      if (!edge) return
      this.forget(connId, edge)
      this.links.send(client.owner, { kind: 'close', connId, code: 1000, reason: 'client left' })
    })
    socket.on('error', (error) => this.logger.debug({ err: error, docId: client.docId }, 'socket error'))
  }

  /** Closes every relayed client (this node shutting down): they reconnect through the balancer elsewhere. */
  closeAll(code: number, reason: string): void {
    for (const [connId, edge] of [...this.edges]) {
      this.forget(connId, edge)
      edge.socket.close(code, reason)
    }
  }

  /** Called by the links (LinkListener). */
  handle(from: string, message: RelayMessage): void {
    if (message.kind === 'frames') {
      for (const connId of message.connIds) {
        const edge = this.edges.get(connId)
        if (!edge || edge.owner !== from || edge.socket.readyState !== edge.socket.OPEN) continue
        if (edge.socket.bufferedAmount > MAX_BUFFERED_BYTES)
          this.end(connId, CLOSE_CODES.tryAgainLater, 'client too slow')
        else edge.socket.send(message.bytes)
      }
    } else if (message.kind === 'close') {
      const edge = this.edges.get(message.connId)
      if (edge && edge.owner === from) {
        this.forget(message.connId, edge)
        edge.socket.close(message.code, message.reason)
      }
    }
  }

  private toOwner(connId: string, bytes: Uint8Array): void {
    const edge = this.edges.get(connId)
    if (edge) this.links.send(edge.owner, { kind: 'frame', connId, bytes })
  }

  /** Refused here: the client is closed and the owner told, as when it leaves. */
  private refuse(connId: string, code: number, reason: string, why?: string): void {
    const edge = this.edges.get(connId)
    if (!edge) return
    this.refused++
    this.logger.info(
      { docId: edge.docId, reason: why ?? reason },
      'relayed client refused at the edge; closed',
    )
    this.end(connId, code, reason)
  }

  private end(connId: string, code: number, reason: string): void {
    const edge = this.edges.get(connId)
    if (!edge) return
    this.forget(connId, edge)
    edge.socket.close(code, reason)
    this.links.send(edge.owner, { kind: 'close', connId, code, reason })
  }

  private forget(connId: string, edge: Edge): void {
    this.edges.delete(connId)
    edge.screen.dispose()
  }

  private introducedByAnother(connId: string, docId: string, clientId: number): boolean {
    for (const [otherId, other] of this.edges)
      if (otherId !== connId && other.docId === docId && other.screen.owned.has(clientId)) return true
    return false
  }

  /** Called by the links (LinkListener). */
  peerBroken(peer: string, why: string): void {
    const concerned = [...this.edges].filter(([, edge]) => edge.owner === peer)
    if (concerned.length > 0)
      this.logger.info({ peer, why, clients: concerned.length }, 'relay to owner interrupted')
    for (const [connId] of concerned) this.end(connId, CLOSE_CODES.tryAgainLater, 'document moving')
  }
}
