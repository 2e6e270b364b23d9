/**
 * This node's links to the other nodes of the cluster over the bus: addressed messages with per-link sequence
 * numbers, and a heartbeat every second that says where each node can be reached and how many messages it sent
 * to each other node. From these, a link learns that a peer was lost (silent, or restarted as a new process) or
 * that messages from it were lost (a gap in the numbers, or a heartbeat naming more than arrived); the relay then
 * ends the connections concerned, and their clients reconnect and resync (y-protocols sync step 1/2).
 */
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { Logger } from '../logger.ts'
import type { ClusterBus } from './bus.ts'
import { decodeRelay, encodeRelay, type Heartbeat, type RelayMessage } from './relayMessages.ts'

const HEARTBEATS = 'accord:heartbeats'
const UNKNOWN = -1
const inbox = (node: string) => `accord:node:${node}`

export interface LinkEvents {
  message: [from: string, message: RelayMessage]
  /** Messages from this peer were lost, or the peer is gone: end whatever depends on it. */
  broken: [peer: string, why: string]
}

/** One party of the relay (the owner's side, the edge's side): what it is told of the links. */
export interface LinkListener {
  handle(from: string, message: RelayMessage): void
  peerBroken(peer: string, why: string): void
}

interface Peer {
  incarnation: string
  url: string
  lastSeen: number
  /** The last sequence number received from it; UNKNOWN until its first message or heartbeat. */
  received: number
  alive: boolean
}

export class NodeLinks extends EventEmitter<LinkEvents> {
  readonly incarnation = randomUUID()
  private readonly peers = new Map<string, Peer>()
  /** Per peer: the incarnation our messages were numbered for, and the last number sent. */
  private readonly sent = new Map<string, [incarnation: string, seq: number]>()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly bus: ClusterBus,
    readonly nodeId: string,
    /** Read at every heartbeat: known once the server listens. */
    private readonly url: () => string,
    private readonly logger: Logger,
    private readonly deadAfterMs = 4000,
  ) {
    super()
    this.timer = setInterval(() => this.beat(), 1000)
    this.timer.unref()
    // Whatever was published while our subscriber was away is lost, from every peer.
    bus.on('resumed', () => {
      for (const [peer, state] of this.peers) {
        if (state.alive) this.emit('broken', peer, 'Redis reconnected')
        // Everything relayed was ended: numbering starts afresh from what arrives next.
        state.received = UNKNOWN
      }
    })
  }

  async start(): Promise<void> {
    await this.bus.subscribe(inbox(this.nodeId), (bytes) => this.receive(bytes))
    await this.bus.subscribe(HEARTBEATS, (bytes) => this.heard(bytes))
    this.beat()
  }

  /** Tells the listener every message and every broken link, for as long as the node runs. */
  listen(listener: LinkListener): void {
    this.on('message', (from, message) => listener.handle(from, message))
    this.on('broken', (peer, why) => listener.peerBroken(peer, why))
  }

  send(to: string, message: RelayMessage): void {
    const incarnation = this.peers.get(to)?.incarnation ?? ''
    const [numberedFor, last] = this.sent.get(to) ?? [incarnation, 0]
    const seq = numberedFor === incarnation ? last + 1 : 1
    this.sent.set(to, [incarnation, seq])
    const envelope = { from: this.nodeId, incarnation: this.incarnation, to: incarnation, seq }
    this.bus.publish(inbox(to), encodeRelay(envelope, message))
  }

  isAlive(node: string): boolean {
    return this.peers.get(node)?.alive ?? false
  }

  urlOf(node: string): string | undefined {
    return this.peers.get(node)?.url
  }

  livePeers(): string[] {
    return [...this.peers].filter(([, peer]) => peer.alive).map(([node]) => node)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private receive(bytes: Uint8Array): void {
    let decoded: ReturnType<typeof decodeRelay>
    try {
      decoded = decodeRelay(bytes)
    } catch (error) {
      this.logger.warn({ err: error }, 'undecodable cluster message dropped')
      return
    }
    const { envelope, message } = decoded
    // Meant for this node's previous process (its connections are gone with it).
    if (envelope.to !== '' && envelope.to !== this.incarnation) return
    const peer = this.peerFor(envelope.from, envelope.incarnation)
    if (peer.received !== UNKNOWN && envelope.seq !== peer.received + 1)
      this.emit('broken', envelope.from, `messages ${peer.received + 1}–${envelope.seq - 1} lost`)
    peer.received = envelope.seq
    this.emit('message', envelope.from, message)
  }

  private heard(bytes: Uint8Array): void {
    let beat: Heartbeat
    try {
      beat = JSON.parse(new TextDecoder().decode(bytes)) as Heartbeat
    } catch {
      return
    }
    if (beat.node === this.nodeId) return
    const peer = this.peerFor(beat.node, beat.incarnation)
    peer.url = beat.url
    peer.lastSeen = Date.now()
    if (!peer.alive) this.logger.info({ peer: beat.node }, 'cluster node joined')
    peer.alive = true
    const [numberedFor, sentToUs] = beat.sent[this.nodeId] ?? ['', 0]
    if (numberedFor !== this.incarnation) return
    // One connection publishes messages and heartbeats, in order: a heartbeat never overtakes a message.
    if (peer.received !== UNKNOWN && sentToUs > peer.received)
      this.emit('broken', beat.node, `messages up to ${sentToUs} lost`)
    if (peer.received === UNKNOWN || sentToUs > peer.received) peer.received = sentToUs
  }

  /** The peer's state; a new incarnation (the process restarted) ends everything of the old one. */
  private peerFor(node: string, incarnation: string): Peer {
    const known = this.peers.get(node)
    if (known && known.incarnation === incarnation) return known
    if (known) this.emit('broken', node, 'restarted')
    const peer: Peer = {
      incarnation,
      url: known?.url ?? '',
      lastSeen: Date.now(),
      received: UNKNOWN,
      alive: false,
    }
    this.peers.set(node, peer)
    return peer
  }

  private beat(): void {
    const now = Date.now()
    for (const [node, peer] of this.peers)
      if (peer.alive && now - peer.lastSeen > this.deadAfterMs) {
        peer.alive = false
        this.logger.warn({ peer: node }, 'cluster node silent: taken as lost')
        this.emit('broken', node, 'silent')
      }
    const beat: Heartbeat = {
      node: this.nodeId,
      incarnation: this.incarnation,
      url: this.url(),
      sent: Object.fromEntries(this.sent),
    }
    this.bus.publish(HEARTBEATS, new TextEncoder().encode(JSON.stringify(beat)))
  }
}
