/** One client socket on a live document: who it is, what it may do, and how to tell it things. */
import { CLOSE_CODES, REFUSAL_CLOSE_CODE, type ServerMessage } from '../../shared/protocol/messages.ts'
import type { Verdict } from './checks/types.ts'
import type { PresenceUser } from './presence.ts'
import { encodeAccord } from './wire.ts'

/**
 * What a connection needs of its socket: a `ws` WebSocket, or on a cluster's owner node a client connected to
 * another node, relayed (server/cluster/relayOwner.ts).
 */
export interface SyncSocket {
  readonly readyState: number
  readonly OPEN: number
  readonly bufferedAmount: number
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
  terminate(): void
}

/**
 * The network socket under a `ws` WebSocket, which `ws` keeps in `_socket` (and corks itself around each frame it
 * writes); none for other sockets (a cluster's relayed client), whose frames then go out one by one.
 */
function networkSocketOf(socket: SyncSocket): { cork(): void; uncork(): void } | null {
  const inner = (socket as { _socket?: { cork?: unknown; uncork?: unknown } })._socket
  return inner && typeof inner.cork === 'function' && typeof inner.uncork === 'function'
    ? (inner as { cork(): void; uncork(): void })
    : null
}

/** A client that reads this far behind is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024

export class SyncConnection {
  /** Announced `hello`: understands Accord's own messages. */
  speaksAccord = false
  /** After a refusal the connection's replica is finished (SYNC.md §3): further sync input is ignored. */
  refused = false
  /**
   * An update arrived ahead of what it depends on (a keystroke as the socket reopened): the server sent sync step 1
   * and drops the client's updates until its step 2 comes (they are in it). Asked once per connection.
   */
  askedToResync = false
  awaitingStep2 = false
  readonly awarenessClients = new Set<number>()
  /** The clientID of the client's replica, as its hello named it (when this user owns it). */
  replicaClientId: number | null = null
  closed = false

  constructor(
    readonly socket: SyncSocket,
    readonly user: PresenceUser,
    readonly sessionId: string,
    public canEdit: boolean,
  ) {}

  send(frame: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE_CODES.tryAgainLater, 'client too slow')
      return
    }
    this.socket.send(frame)
  }

  /**
   * Frames sent until `uncork` leave in one write to the network: on loopback a write costs the sender the
   * receiver's side of TCP too (~12 µs here), which is most of a fan-out's time.
   */
  cork(): void {
    networkSocketOf(this.socket)?.cork()
  }

  uncork(): void {
    networkSocketOf(this.socket)?.uncork()
  }

  tell(message: ServerMessage): void {
    if (this.speaksAccord) this.send(encodeAccord(message))
  }

  /** Tells the client why its update was refused: a message if it understands them, else a 44xx close. */
  refuse(verdict: Exclude<Verdict, { ok: true }>): void {
    if (verdict.reason === 'storage-unavailable') {
      // Not the replica's fault: the client reconnects later and re-sends, nothing is dropped.
      this.tell({ type: 'storage', writable: false, message: verdict.message })
      this.close(CLOSE_CODES.tryAgainLater, 'storage unavailable')
      return
    }
    this.refused = true
    if (this.speaksAccord) {
      this.tell({
        type: 'refused',
        reason: verdict.reason,
        message: verdict.message,
        sectionIds: verdict.sectionIds,
      })
    } else {
      this.close(REFUSAL_CLOSE_CODE[verdict.reason], verdict.reason)
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    try {
      this.socket.close(code, reason.slice(0, 120))
    } catch {
      this.socket.terminate()
    }
  }
}
