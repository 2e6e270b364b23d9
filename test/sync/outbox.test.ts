/**
 * The outbox of a live document: what each connection is sent, in which frames, and when a sender is told that
 * its update is saved (the outbox is handed durable updates only). Connections here are recorders of the frames
 * and messages they are sent; the documents, updates and awareness are real Yjs.
 */
import { describe, expect, test } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { SyncConnection } from '../../server/sync/connection.ts'
import { Outbox, type OutgoingUpdate } from '../../server/sync/outbox.ts'
import { SYNC_UPDATE } from '../../server/sync/wire.ts'
import { MESSAGE_AWARENESS, type ServerMessage } from '../../shared/protocol/messages.ts'
import { syncPayload } from '../campaign/support/serverDoc.ts'

class Recorder {
  readonly frames: Uint8Array[] = []
  readonly told: ServerMessage[] = []
  send(frame: Uint8Array): void {
    this.frames.push(frame)
  }
  tell(message: ServerMessage): void {
    this.told.push(message)
  }
  /** The Yjs updates of the sync-update frames received, in order. */
  get updates(): Uint8Array[] {
    return this.frames.flatMap((frame) => syncPayload(frame, SYNC_UPDATE) ?? [])
  }
  get awarenessFrames(): number {
    return this.frames.filter((frame) => frame[0] === MESSAGE_AWARENESS).length
  }
}

/** An outbox over `count` recording connections. */
function setUp(count: number) {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  const recorders = Array.from({ length: count }, () => new Recorder())
  const connections = new Set(recorders as unknown as SyncConnection[])
  const outbox = new Outbox(connections, awareness)
  for (const connection of connections) outbox.added(connection)
  return { doc, awareness, recorders, connections, outbox }
}

/** An update from `sender`, to be acknowledged to it as covering `clock`. */
function fromSender(update: Uint8Array, sender: Recorder, clock: number): OutgoingUpdate {
  const connection = sender as unknown as SyncConnection
  return { update, origin: connection, acknowledge: { connection, covers: { '1': clock } } }
}

const savedClocks = (recorder: Recorder) =>
  recorder.told.flatMap((m) => (m.type === 'saved' ? [m.clocks['1']] : []))

/** A keystroke-sized update by a fresh client: inserts `text` into the shared text "t". */
function keystroke(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return [...doc.getText('t').toString()].sort().join('')
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await nextTurn()
}

describe('the outbox of a live document', () => {
  test('updates accepted in one turn reach each connection as one frame, never back to their origin', async () => {
    const { recorders, outbox } = setUp(4)
    const [alice, bob, carol, dave] = recorders as [Recorder, Recorder, Recorder, Recorder]
    const a = keystroke('a')
    const b = keystroke('b')
    const s = keystroke('s')
    outbox.addUpdate(fromSender(a, alice, 1))
    outbox.addUpdate(fromSender(b, bob, 2))
    outbox.addUpdate({ update: s, origin: 'server' })
    expect(carol.frames).toHaveLength(0) // nothing is sent within the turn that accepted the updates
    await settle()

    for (const follower of [carol, dave]) {
      expect(follower.updates).toHaveLength(1)
      expect(textOf(follower.updates)).toBe('abs')
    }
    expect(alice.updates).toHaveLength(1)
    expect(textOf(alice.updates)).toBe('bs')
    expect(bob.updates).toHaveLength(1)
    expect(textOf(bob.updates)).toBe('as')
    expect(savedClocks(alice)).toEqual([1])
    expect(savedClocks(bob)).toEqual([2])
    expect(carol.told).toEqual([])
  })

  test('a writer alone in its turn is sent nothing', async () => {
    const { recorders, outbox } = setUp(2)
    outbox.addUpdate({ update: keystroke('a'), origin: recorders[0] })
    outbox.addUpdate({ update: keystroke('b'), origin: recorders[0] })
    await settle()
    expect(recorders[0]!.frames).toHaveLength(0)
    expect(textOf(recorders[1]!.updates)).toBe('ab')
  })

  test('an update arriving during a fan-out joins the frames of the connections not served yet', async () => {
    const { recorders, outbox } = setUp(100)
    outbox.addUpdate({ update: keystroke('1'), origin: 'server' })
    await nextTurn() // the first slice is sent
    const servedFirst = recorders.filter((r) => r.frames.length > 0)
    expect(servedFirst.length).toBeGreaterThan(0)
    expect(servedFirst.length).toBeLessThan(100)

    outbox.addUpdate({ update: keystroke('2'), origin: 'server' })
    await settle()
    for (const recorder of recorders) {
      expect(textOf(recorder.updates)).toBe('12')
      const early = servedFirst.includes(recorder)
      // Served before "2" existed: "1", then "2". Served after: both in one frame.
      expect(recorder.updates.map((u) => textOf([u]))).toEqual(early ? ['1', '2'] : ['12'])
    }
  })

  test('a connection that joins while updates are held gets only later ones (its sync step 2 has the rest)', async () => {
    const { recorders, connections, outbox } = setUp(1)
    outbox.addUpdate({ update: keystroke('a'), origin: 'server' })
    const late = new Recorder()
    connections.add(late as unknown as SyncConnection)
    outbox.added(late as unknown as SyncConnection)
    outbox.addUpdate({ update: keystroke('b'), origin: 'server' })
    await settle()
    expect(textOf(recorders[0]!.updates)).toBe('ab')
    expect(textOf(late.updates)).toBe('b')
  })

  test('a connection that left is skipped', async () => {
    const { recorders, connections, outbox } = setUp(2)
    const gone = recorders[1]! as unknown as SyncConnection
    connections.delete(gone)
    outbox.removed(gone)
    outbox.addUpdate({ update: keystroke('a'), origin: 'server' })
    await settle()
    expect(recorders[1]!.frames).toHaveLength(0)
    expect(recorders[0]!.updates).toHaveLength(1)
  })

  test('flush sends everything at once and acknowledges each update exactly once, in order', async () => {
    const { recorders, outbox } = setUp(80)
    const sender = new Recorder()
    const updates = ['a', 'b', 'c'].map(keystroke)
    outbox.addUpdate(fromSender(updates[0]!, sender, 1))
    await nextTurn() // a fan-out in progress
    outbox.addUpdate(fromSender(updates[1]!, sender, 2))
    outbox.addUpdate(fromSender(updates[2]!, sender, 3))
    outbox.flush()
    for (const recorder of recorders) expect(textOf(recorder.updates)).toBe('abc')
    expect(savedClocks(sender)).toEqual([1, 2, 3])
    await settle()
    for (const recorder of recorders) expect(textOf(recorder.updates)).toBe('abc')
    expect(savedClocks(sender)).toEqual([1, 2, 3])
  })

  test('presence changes of one turn go out as one awareness message', async () => {
    const { recorders, outbox, awareness } = setUp(3)
    awareness.setLocalState({ user: { name: 'Chair' } })
    outbox.addPresence([awareness.clientID])
    awareness.setLocalStateField('cursor', 1)
    outbox.addPresence([awareness.clientID])
    await settle()
    for (const recorder of recorders) expect(recorder.awarenessFrames).toBe(1)
  })

  test('discard drops what is held (a document thrown away)', async () => {
    const { recorders, outbox } = setUp(2)
    outbox.addUpdate(fromSender(keystroke('a'), recorders[0]!, 1))
    outbox.discard()
    await settle()
    expect(recorders.every((r) => r.frames.length === 0 && r.told.length === 0)).toBe(true)
  })
})
