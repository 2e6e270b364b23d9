/**
 * The messages nodes send each other through Redis (docs/CLUSTER.md), binary with lib0's encoders. Every message
 * to a node carries its sender, the sender's incarnation (a restarted process is a new one) and a sequence number
 * that grows by one per message from that sender to that receiver: a receiver that sees a gap knows it lost
 * messages (Redis pub/sub is at most once) and resyncs the connections concerned.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { PresenceUser } from '../sync/presence.ts'

export interface Envelope {
  from: string
  incarnation: string
  /** The receiver's incarnation as the sender knows it: a message for a previous process is dropped. */
  to: string
  seq: number
}

export type RelayMessage =
  /** Edge → owner: a client connected to the edge opens the document on the owner. */
  | {
      kind: 'open'
      connId: string
      docId: string
      user: PresenceUser
      sessionId: string
      canEdit: boolean
    }
  /** Edge → owner: one WebSocket frame of that client, as received. */
  | { kind: 'frame'; connId: string; bytes: Uint8Array }
  /** Owner → edge: one frame for each of these clients (a fan-out is published once per edge node). */
  | { kind: 'frames'; connIds: string[]; bytes: Uint8Array }
  /** Either way: the connection ended (owner → edge: with the close code the client should get). */
  | { kind: 'close'; connId: string; code: number; reason: string }

/** Published by every node every second on the heartbeat channel. */
export interface Heartbeat {
  node: string
  incarnation: string
  /** Where the other nodes send this node's documents' HTTP requests. */
  url: string
  /** Per node: its incarnation and the last sequence number sent to it; a receiver behind it lost messages. */
  sent: Record<string, [incarnation: string, seq: number]>
}

const KINDS = ['open', 'frame', 'frames', 'close'] as const

export function encodeRelay(envelope: Envelope, message: RelayMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, envelope.from)
  encoding.writeVarString(encoder, envelope.incarnation)
  encoding.writeVarString(encoder, envelope.to)
  encoding.writeVarUint(encoder, envelope.seq)
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind))
  switch (message.kind) {
    case 'open':
      encoding.writeVarString(encoder, message.connId)
      encoding.writeVarString(encoder, message.docId)
      encoding.writeVarString(encoder, JSON.stringify(message.user))
      encoding.writeVarString(encoder, message.sessionId)
      encoding.writeUint8(encoder, message.canEdit ? 1 : 0)
      break
    case 'frame':
      encoding.writeVarString(encoder, message.connId)
      encoding.writeVarUint8Array(encoder, message.bytes)
      break
    case 'frames':
      encoding.writeVarUint(encoder, message.connIds.length)
      for (const connId of message.connIds) encoding.writeVarString(encoder, connId)
      encoding.writeVarUint8Array(encoder, message.bytes)
      break
    case 'close':
      encoding.writeVarString(encoder, message.connId)
      encoding.writeVarUint(encoder, message.code)
      encoding.writeVarString(encoder, message.reason)
      break
  }
  return encoding.toUint8Array(encoder)
}

/** Nodes trust each other (Redis is the cluster's private network); a message that does not decode throws. */
export function decodeRelay(bytes: Uint8Array): { envelope: Envelope; message: RelayMessage } {
  const decoder = decoding.createDecoder(bytes)
  const envelope: Envelope = {
    from: decoding.readVarString(decoder),
    incarnation: decoding.readVarString(decoder),
    to: decoding.readVarString(decoder),
    seq: decoding.readVarUint(decoder),
  }
  const kind = KINDS[decoding.readVarUint(decoder)]
  let message: RelayMessage
  switch (kind) {
    case 'open':
      message = {
        kind,
        connId: decoding.readVarString(decoder),
        docId: decoding.readVarString(decoder),
        user: JSON.parse(decoding.readVarString(decoder)) as PresenceUser,
        sessionId: decoding.readVarString(decoder),
        canEdit: decoding.readUint8(decoder) === 1,
      }
      break
    case 'frame':
      message = { kind, connId: decoding.readVarString(decoder), bytes: decoding.readVarUint8Array(decoder) }
      break
    case 'frames': {
      const count = decoding.readVarUint(decoder)
      const connIds: string[] = []
      for (let i = 0; i < count; i++) connIds.push(decoding.readVarString(decoder))
      message = { kind, connIds, bytes: decoding.readVarUint8Array(decoder) }
      break
    }
    case 'close':
      message = {
        kind,
        connId: decoding.readVarString(decoder),
        code: decoding.readVarUint(decoder),
        reason: decoding.readVarString(decoder),
      }
      break
    default:
      throw new Error('unknown relay message')
  }
  return { envelope, message }
}
