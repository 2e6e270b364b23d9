/**
 * The owner's side of the relay: clients connected to other nodes, attached to the live document here as
 * ordinary connections whose socket is the link to their node. Every check of SYNC.md (permission, causality,
 * locks, presence) runs here, on the one process that holds the document, exactly as for a local socket.
 *
 * What a document sends its connections goes out once per node and frame: the outbox hands the same frame object
 * to every connection of a fan-out, and frames queued in one turn are grouped by node and by frame, so a node with
 * 300 followers of a meeting gets one message per update and fans it out itself.
 */
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { Logger } from '../logger.ts'
import { SyncConnection, type SyncSocket } from '../sync/connection.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
import type { LinkListener, NodeLinks } from './nodeLinks.ts'
import type { RelayMessage } from './relayMessages.ts'

const OPEN = 1
const CLOSED = 3

class RelayedSocket implements SyncSocket {
  readonly OPEN = OPEN
  readyState = OPEN
  readonly bufferedAmount = 0

  constructor(
    private readonly relay: RelayOwner,
    readonly node: string,
    readonly connId: string,
  ) {}

  send(frame: Uint8Array): void {
    if (this.readyState === OPEN) this.relay.queue(this.node, this.connId, frame)
  }

  close(code: number, reason: string): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.relay.ended(this.node, this.connId, { code, reason })
  }

  terminate(): void {
    this.close(CLOSE_CODES.tryAgainLater, 'terminated')
  }
}

interface Relayed {
  connection: SyncConnection | null
  live: LiveDocument | null
  /** Frames that arrived while the document was being opened. */
  early: Uint8Array[]
}

export class RelayOwner implements LinkListener {
  private readonly relayed = new Map<string, Relayed>()
  /** Per node, per frame object, the connections to send it to; sent at the end of the turn. */
  private outgoing = new Map<string, Map<Uint8Array, string[]>>()
  private flushScheduled = false

  constructor(
    private readonly links: NodeLinks,
    private readonly hub: DocumentHub,
    private readonly logger: Logger,
  ) {
    links.listen(this)
  }

  /** Relayed connections, for /api/health and tests. */
  get size(): number {
    return this.relayed.size
  }

  queue(node: string, connId: string, frame: Uint8Array): void {
    let byFrame = this.outgoing.get(node)
    if (!byFrame) {
      byFrame = new Map()
      this.outgoing.set(node, byFrame)
    }
    const connIds = byFrame.get(frame)
    if (connIds) connIds.push(connId)
    else byFrame.set(frame, [connId])
    if (!this.flushScheduled) {
      this.flushScheduled = true
      queueMicrotask(() => this.flush())
    }
  }

  /** The document closed a relayed connection (refusal, reload, lease lost): its node closes the client. */
  ended(node: string, connId: string, close?: { code: number; reason: string }): void {
    const key = `${node}/${connId}`
    const relayed = this.relayed.get(key)
    if (!relayed) return
    this.relayed.delete(key)
    if (relayed.connection && relayed.live) {
      relayed.connection.closed = true
      relayed.live.detach(relayed.connection)
    }
    if (close) {
      // Frames queued before the close go first.
      this.flush()
      this.links.send(node, { kind: 'close', connId, ...close })
    }
  }

  private flush(): void {
    this.flushScheduled = false
    const outgoing = this.outgoing
    this.outgoing = new Map()
    for (const [node, byFrame] of outgoing)
      for (const [bytes, connIds] of byFrame) this.links.send(node, { kind: 'frames', connIds, bytes })
  }

  /** Called by the links (LinkListener). */
  handle(from: string, message: RelayMessage): void {
    switch (message.kind) {
      case 'open':
        void this.open(from, message)
        return
      case 'frame': {
        const relayed = this.relayed.get(`${from}/${message.connId}`)
        if (!relayed) return
        if (!relayed.connection || !relayed.live) relayed.early.push(message.bytes)
        else this.deliver(relayed.live, relayed.connection, message.bytes)
        return
      }
      case 'close':
        this.ended(from, message.connId)
        return
      case 'frames':
        return
    }
  }

  private async open(from: string, message: Extract<RelayMessage, { kind: 'open' }>): Promise<void> {
    const key = `${from}/${message.connId}`
    const relayed: Relayed = { connection: null, live: null, early: [] }
    this.relayed.set(key, relayed)
    let live: LiveDocument
    try {
      live = await this.hub.get(message.docId)
    } catch (error) {
      // Not ours after all (taken over meanwhile), or unreadable: the client reconnects and is routed again.
      this.logger.info({ err: error, docId: message.docId, from }, 'relayed connection refused')
      this.relayed.delete(key)
      this.links.send(from, {
        kind: 'close',
        connId: message.connId,
        code: CLOSE_CODES.tryAgainLater,
        reason: 'document moving',
      })
      return
    }
    // The client left while the document was loading.
    if (this.relayed.get(key) !== relayed) return
    const socket = new RelayedSocket(this, from, message.connId)
    const connection = new SyncConnection(socket, message.user, message.sessionId, message.canEdit)
    relayed.connection = connection
    relayed.live = live
    live.attach(connection)
    for (const bytes of relayed.early.splice(0)) this.deliver(live, connection, bytes)
  }

  private deliver(live: LiveDocument, connection: SyncConnection, bytes: Uint8Array): void {
    if (connection.closed) return
    try {
      live.receive(connection, bytes)
    } catch (error) {
      this.logger.error({ err: error, docId: live.id, userId: connection.user.id }, 'relayed message failed')
      connection.close(CLOSE_CODES.malformed, 'message could not be handled')
    }
  }

  /** Messages from that node were lost, or it is gone: its clients reconnect and resync. */
  /** Called by the links (LinkListener). */
  peerBroken(peer: string, why: string): void {
    const prefix = `${peer}/`
    const concerned = [...this.relayed].filter(([key]) => key.startsWith(prefix))
    if (concerned.length > 0)
      this.logger.info({ peer, why, connections: concerned.length }, 'relay interrupted')
    for (const [key, relayed] of concerned) {
      relayed.connection?.close(CLOSE_CODES.tryAgainLater, 'relay interrupted')
      this.ended(peer, key.slice(prefix.length))
    }
  }
}
