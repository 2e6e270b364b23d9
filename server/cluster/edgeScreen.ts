/**
 * What the edge checks in a relayed client's frames before they cross Redis (issue 25: presence "with the
 * ownership checks of SYNC.md §4 made where the client is connected"). The edge authenticated the client, so it
 * can apply what needs only the connection: whole, known messages; the size limits; and for presence, the clientIDs
 * this connection introduced, the `user` written from the authenticated user, the per-connection rate. A forged
 * name, another client's caret or a flood therefore stops here. The owner still checks everything again: a
 * clientID introduced by a connection on another node is known only there, and document updates are checked only
 * against the whole document.
 */

import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { type MessageLimits, tooLarge } from '../sync/messageSize.ts'
import { MalformedAwarenessError, ownPresence, type PresenceUser } from '../sync/presence.ts'
import { PresenceGate } from '../sync/presenceGate.ts'
import { decodeIncoming, encodeAccord, encodeAwareness, type IncomingMessage } from '../sync/wire.ts'

export type Screened =
  /** Send these bytes to the owner as they came. */
  | { kind: 'forward' }
  /** Presence: taken by the gate, which forwards what the connection may set when the rate allows. */
  | { kind: 'held' }
  /** Close the client: `notice` (if any) is sent to it first. */
  | { kind: 'close'; code: number; reason: string; notice?: Uint8Array; why?: string }

export class EdgeScreen {
  /** The awareness clientIDs this connection introduced. */
  readonly owned = new Set<number>()
  private readonly gate: PresenceGate

  constructor(
    private readonly user: PresenceUser,
    private readonly limits: MessageLimits,
    /** Whether another connection on this node introduced the clientID (for the same document). */
    private readonly isOwnedElsewhere: (clientId: number) => boolean,
    forward: (frame: Uint8Array) => void,
    /** Presence that does not decode arrived (through the gate, so later than screen's answer). */
    private readonly malformed: (message: string) => void,
  ) {
    this.gate = new PresenceGate((update) => {
      try {
        const own = ownPresence(update, this.owned, this.isOwnedElsewhere, this.user)
        if (own) forward(encodeAwareness(own))
      } catch (error) {
        if (error instanceof MalformedAwarenessError) this.malformed(error.message)
        else throw error
      }
    })
  }

  screen(frame: Uint8Array): Screened {
    let message: IncomingMessage
    try {
      message = decodeIncoming(frame)
    } catch (error) {
      return {
        kind: 'close',
        code: CLOSE_CODES.malformed,
        reason: 'malformed message',
        why: (error as Error).message,
      }
    }
    const refusal = tooLarge(message, frame.byteLength, this.limits)
    if (refusal)
      return { kind: 'close', code: CLOSE_CODES.tooLarge, reason: 'too-large', notice: encodeAccord(refusal) }
    if (message.kind !== 'awareness') return { kind: 'forward' }
    this.gate.admit(message.update)
    return { kind: 'held' }
  }

  dispose(): void {
    this.gate.dispose()
  }
}
