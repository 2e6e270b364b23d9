/**
 * The raw wire of each peer, for lightweight clients that never build a Y.Doc: y-protocols sync (type 0) and
 * awareness (type 1), prefixed with the document name on Hocuspocus, plus Accord's hello (type 100). Received
 * frames are only peeked at: which update is this (the first struct's client and clock, or for a pure delete
 * the first deleted range), so that a follower can timestamp a keystroke without decoding it.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import { PROTOCOL_VERSION } from '../../shared/protocol/messages.ts'
import type { DocumentTarget } from '../peers/types.ts'

export const MESSAGE_SYNC = 0
export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2
const HOCUSPOCUS_AUTH = 2

/** Writes the peer's per-message prefix: the document name for Hocuspocus, nothing elsewhere. */
export function framer(target: DocumentTarget): (write: (encoder: encoding.Encoder) => void) => Uint8Array {
  const prefixed = target.peer === 'hocuspocus'
  return (write) => {
    const encoder = encoding.createEncoder()
    if (prefixed) encoding.writeVarString(encoder, target.name)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }
}

export function rawUrl(target: DocumentTarget): string {
  return target.peer === 'hocuspocus' ? target.wsBase : `${target.wsBase}/${target.name}`
}

/** What a fresh raw client sends on open: Hocuspocus's auth, sync step 1 (empty state), Accord's hello. */
export function openingFrames(target: DocumentTarget, hello: boolean): Uint8Array[] {
  const frame = framer(target)
  const frames: Uint8Array[] = []
  if (target.peer === 'hocuspocus')
    frames.push(
      frame((e) => {
        encoding.writeVarUint(e, HOCUSPOCUS_AUTH)
        encoding.writeVarUint(e, 0)
        encoding.writeVarString(e, '')
      }),
    )
  frames.push(syncFrame(target, SYNC_STEP_1, new Uint8Array([0])))
  // Accord frames carry no prefix; a raw client holds no replica, so its hello names no clientID.
  if (hello && target.peer === 'accord')
    frames.push(encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION }))
  return frames
}

export function syncFrame(target: DocumentTarget, step: number, payload: Uint8Array): Uint8Array {
  return framer(target)((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC)
    encoding.writeVarUint(e, step)
    encoding.writeVarUint8Array(e, payload)
  })
}

/** A cursor over received bytes; varUints as lib0 writes them. */
export class Peek {
  pos = 0
  constructor(readonly bytes: Uint8Array) {}

  varUint(): number {
    let value = 0
    let shift = 1
    for (;;) {
      const byte = this.bytes[this.pos++]
      if (byte === undefined) throw new RangeError('frame ended inside a varUint')
      value += (byte & 0x7f) * shift
      if (byte < 0x80) return value
      shift *= 128
    }
  }

  skipVarString(): void {
    const length = this.varUint()
    this.pos += length
  }
}

export interface PeekedFrame {
  type: number
  /** For sync messages: the step (0, 1, 2). */
  step: number
  /** Offset of the sync payload (after its length) or of the body of other messages. */
  offset: number
  length: number
}

/** The type (and sync step) of a received frame; null when it cannot be read. */
export function peekFrame(bytes: Uint8Array, prefixed: boolean): PeekedFrame | null {
  try {
    const peek = new Peek(bytes)
    if (prefixed) peek.skipVarString()
    const type = peek.varUint()
    if (type !== MESSAGE_SYNC) return { type, step: -1, offset: peek.pos, length: bytes.length - peek.pos }
    const step = peek.varUint()
    const length = peek.varUint()
    return { type, step, offset: peek.pos, length }
  } catch {
    return null
  }
}

const CLOCK_RANGE = 2 ** 22

/**
 * A number naming a keystroke-sized update: positive from its first struct's (client, clock), negative from
 * its first deleted range when it inserts nothing. Clocks above 4 million wrap (only the meeting uses this).
 */
export function updateKey(bytes: Uint8Array, offset = 0): number | null {
  try {
    const peek = new Peek(bytes)
    peek.pos = offset
    const clients = peek.varUint()
    if (clients > 0) {
      peek.varUint() // structs of the first client
      const client = peek.varUint()
      const clock = peek.varUint()
      return (client % 2 ** 30) * CLOCK_RANGE + (clock % CLOCK_RANGE) + 1
    }
    const deleteClients = peek.varUint()
    if (deleteClients === 0) return null
    const client = peek.varUint()
    peek.varUint() // ranges
    const clock = peek.varUint()
    return -((client % 2 ** 30) * CLOCK_RANGE + (clock % CLOCK_RANGE) + 1)
  } catch {
    return null
  }
}

const CACHED_FRAMES = 20_000

/**
 * The keystrokes a received update carries. A server may merge the updates of several keystrokes into one frame
 * (Accord sends what arrived in one event-loop turn together), so every struct clock and deleted clock is a
 * candidate key, kept when `relevant` (a keystroke that was sent). Every follower receives the same bytes, so
 * each distinct frame is decoded once; its first key and length name it.
 */
export class KeystrokeReader {
  private readonly cache = new Map<string, number[]>()

  constructor(private readonly relevant: (key: number) => boolean) {}

  keys(bytes: Uint8Array, offset = 0): number[] {
    const first = updateKey(bytes, offset)
    if (first === null) return []
    const name = `${first}:${bytes.byteLength - offset}`
    let keys = this.cache.get(name)
    if (keys === undefined) {
      keys = candidateKeys(bytes.subarray(offset)).filter(this.relevant)
      if (this.cache.size >= CACHED_FRAMES) this.cache.delete(this.cache.keys().next().value as string)
      this.cache.set(name, keys)
    }
    return keys
  }
}

function candidateKeys(update: Uint8Array): number[] {
  const { structs, ds } = Y.decodeUpdate(update)
  const keys: number[] = []
  const key = (client: number, clock: number) => (client % 2 ** 30) * CLOCK_RANGE + (clock % CLOCK_RANGE) + 1
  for (const struct of structs)
    for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++)
      keys.push(key(struct.id.client, clock))
  for (const [client, deleted] of ds.clients)
    for (const range of deleted)
      for (let clock = range.clock; clock < range.clock + range.len; clock++) keys.push(-key(client, clock))
  return keys
}
