/**
 * The edge's screen of a relayed client's frames: real y-protocols awareness updates in, what would cross Redis
 * to the owner out.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, test } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_AWARENESS } from '../../shared/protocol/messages.ts'
import { encodeAwareness, encodeSyncUpdate } from '../sync/wire.ts'
import { EdgeScreen } from './edgeScreen.ts'

const EVE = { id: 'u-eve', name: 'Eve Editor', organization: 'ITU', color: '#123456' }
const LIMITS = { maxSyncMessageBytes: 64 * 1024, maxAwarenessMessageBytes: 16 * 1024 }

/** A tab's presence as y-protocols encodes it: clientID `id`, with `state`. */
function presenceOf(id: number, state: Record<string, unknown> | null, clock = 1): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = id
  const awareness = new Awareness(doc)
  awareness.setLocalState(state)
  for (let c = 1; c < clock; c++) awareness.setLocalState(state ? { ...state } : null)
  const frame = encodeAwareness(encodeAwarenessUpdate(awareness, [id]))
  awareness.destroy()
  return frame
}

/** What a frame sent to the owner sets in an awareness: clientID → state. */
function statesIn(frames: Uint8Array[]): Map<number, Record<string, unknown>> {
  const seen = new Awareness(new Y.Doc())
  seen.setLocalState(null)
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame)
    expect(decoding.readVarUint(decoder)).toBe(MESSAGE_AWARENESS)
    applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'owner')
  }
  const states = new Map(seen.getStates() as Map<number, Record<string, unknown>>)
  seen.destroy()
  return states
}

let screens: EdgeScreen[] = []
afterEach(() => {
  for (const screen of screens) screen.dispose()
  screens = []
})

function screenFor(options: { takenElsewhere?: number[] } = {}) {
  const toOwner: Uint8Array[] = []
  const malformed: string[] = []
  const screen = new EdgeScreen(
    EVE,
    LIMITS,
    (clientId) => (options.takenElsewhere ?? []).includes(clientId),
    (frame) => toOwner.push(frame),
    (message) => malformed.push(message),
  )
  screens.push(screen)
  return { screen, toOwner, malformed }
}

describe('the edge screen of a relayed client', () => {
  test('document updates go to the owner as they came (the owner checks them against the whole document)', () => {
    const { screen, toOwner } = screenFor()
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'hello')
    expect(screen.screen(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)))).toEqual({ kind: 'forward' })
    expect(toOwner).toHaveLength(0)
  })

  test("a forged name becomes the authenticated user's; the caret goes on", () => {
    const { screen, toOwner } = screenFor()
    const verdict = screen.screen(presenceOf(7, { user: { name: 'The Chair' }, cursor: { anchor: 3 } }))
    expect(verdict).toEqual({ kind: 'held' })
    const states = statesIn(toOwner)
    expect(states.get(7)).toEqual({ user: EVE, cursor: { anchor: 3 } })
  })

  test('a clientID another connection on this node introduced is not taken over', () => {
    const { screen, toOwner } = screenFor({ takenElsewhere: [42] })
    screen.screen(presenceOf(42, { user: { name: 'Forged' } }, 5))
    screen.screen(presenceOf(42, null, 6))
    expect(statesIn(toOwner).size).toBe(0)
    expect(screen.owned.has(42)).toBe(false)
  })

  test('one connection introduces at most four clientIDs; a flood of fresh ones goes nowhere', () => {
    const { screen, toOwner } = screenFor()
    for (let id = 100; id < 130; id++) screen.screen(presenceOf(id, { cursor: null }))
    expect([...statesIn(toOwner).keys()]).toEqual([100, 101, 102, 103])
  })

  test('a burst is held back to the rate: only the latest caret of what waits goes on', async () => {
    const { screen, toOwner } = screenFor()
    for (let clock = 1; clock <= 200; clock++)
      screen.screen(presenceOf(9, { cursor: { anchor: clock } }, clock))
    expect(toOwner.length).toBeLessThanOrEqual(40)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(toOwner.length).toBeLessThanOrEqual(45)
    expect(statesIn(toOwner).get(9)).toEqual({ user: EVE, cursor: { anchor: 200 } })
  })

  test('a frame that is not a whole message closes the client here', () => {
    const { screen, toOwner } = screenFor()
    const truncated = encoding.createEncoder()
    encoding.writeVarUint(truncated, MESSAGE_AWARENESS)
    encoding.writeVarUint(truncated, 500)
    expect(screen.screen(encoding.toUint8Array(truncated))).toMatchObject({
      kind: 'close',
      code: CLOSE_CODES.malformed,
    })
    expect(screen.screen(new Uint8Array([99]))).toMatchObject({ kind: 'close', code: CLOSE_CODES.malformed })
    expect(toOwner).toHaveLength(0)
  })

  test('presence that is not JSON closes the client (reported when the gate lets it through)', () => {
    const { screen, malformed } = screenFor()
    const update = encoding.createEncoder()
    encoding.writeVarUint(update, 1)
    encoding.writeVarUint(update, 5)
    encoding.writeVarUint(update, 1)
    encoding.writeVarString(update, '{not json')
    screen.screen(encodeAwareness(encoding.toUint8Array(update)))
    expect(malformed).toHaveLength(1)
  })

  test('a message over the size limit closes the client with a refused notice', () => {
    const { screen, toOwner } = screenFor()
    const big = presenceOf(3, { blob: 'x'.repeat(20_000) })
    const verdict = screen.screen(big)
    expect(verdict).toMatchObject({ kind: 'close', code: CLOSE_CODES.tooLarge, reason: 'too-large' })
    expect(verdict.kind === 'close' && verdict.notice).toBeTruthy()
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'y'.repeat(70_000))
    expect(screen.screen(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)))).toMatchObject({
      code: CLOSE_CODES.tooLarge,
    })
    expect(toOwner).toHaveLength(0)
  })
})
