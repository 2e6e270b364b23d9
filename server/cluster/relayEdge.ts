/**
 * The edge's side of the relay: a client connected to this node whose document another node owns. This node
 * authenticated it and decided what it may do (the policy, from the shared metadata); every frame it sends goes to
 * the owner as it came, and nothing of it is applied here. What the owner sends back reaches the client unchanged.
 * When the link to the owner breaks (lost messages, the owner gone), the client is closed with "try again later":
 * it reconnects, is routed to whoever owns the document then, and resyncs.
 */
import { randomUUID } from 'node:crypto'
import type { WebSocket } from 'ws'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { Logger } from '../logger.ts'
import type { PresenceUser } from '../sync/presence.ts'
import type { NodeLinks } from './nodeLinks.ts'
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
}

export class RelayEdge {
  private readonly edges = new Map<string, Edge>()

  constructor(
    private readonly links: NodeLinks,
    private readonly logger: Logger,
  ) {
    links.on('message', (from, message) => this.handle(from, message))
    links.on('broken', (peer, why) => this.peerBroken(peer, why))
  }

  get size(): number {
    return this.edges.size
  }

  /** Relays a client's socket to the document's owner. */
  attach(socket: WebSocket, client: EdgeClient, toBytes: (data: unknown) => Uint8Array): void {
    const connId = randomUUID()
    this.edges.set(connId, { socket, owner: client.owner })
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
        socket.close(CLOSE_CODES.malformed, 'text frames are not part of the protocol')
        return
      }
      if (this.edges.has(connId))
        this.links.send(client.owner, { kind: 'frame', connId, bytes: toBytes(data) })
    })
    socket.on('close', () => {
      if (this.edges.delete(connId))
        this.links.send(client.owner, { kind: 'close', connId, code: 1000, reason: 'client left' })
    })
    socket.on('error', (error) => this.logger.debug({ err: error, docId: client.docId }, 'socket error'))
  }

  /** Closes every relayed client (this node shutting down): they reconnect through the balancer elsewhere. */
  closeAll(code: number, reason: string): void {
    for (const [connId, edge] of [...this.edges]) {
      this.edges.delete(connId)
      edge.socket.close(code, reason)
    }
  }

  private handle(from: string, message: RelayMessage): void {
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
        this.edges.delete(message.connId)
        edge.socket.close(message.code, message.reason)
      }
    }
  }

  private end(connId: string, code: number, reason: string): void {
    const edge = this.edges.get(connId)
    if (!edge) return
    this.edges.delete(connId)
    edge.socket.close(code, reason)
    this.links.send(edge.owner, { kind: 'close', connId, code, reason })
  }

  private peerBroken(peer: string, why: string): void {
    const concerned = [...this.edges].filter(([, edge]) => edge.owner === peer)
    if (concerned.length > 0)
      this.logger.info({ peer, why, clients: concerned.length }, 'relay to owner interrupted')
    for (const [connId] of concerned) this.end(connId, CLOSE_CODES.tryAgainLater, 'document moving')
  }
}
