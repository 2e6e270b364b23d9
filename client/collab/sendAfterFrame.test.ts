import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { sendAfterFrame } from './sendAfterFrame.ts'

/** A provider as y-websocket builds one, its send handlers registered; what they are handed is recorded. */
function providerOf(doc: Y.Doc) {
  const awareness = new Awareness(doc)
  const sent: Uint8Array[] = []
  const presence: number[][] = []
  const order: string[] = []
  const provider = {
    doc,
    awareness,
    _updateHandler: (update: Uint8Array, origin: unknown) => {
      if (origin === provider) return
      sent.push(update)
      order.push('document')
    },
    _awarenessUpdateHandler: (change: { added: number[]; updated: number[]; removed: number[] }) => {
      presence.push([...change.added, ...change.updated, ...change.removed])
      order.push('presence')
    },
  }
  doc.on('update', provider._updateHandler)
  awareness.on('update', provider._awarenessUpdateHandler)
  return { provider: provider as unknown as WebsocketProvider, sent, presence, order }
}

let frames: (() => void)[]
let listeners: Map<string, () => void>
const drawFrame = async () => {
  for (const frame of frames.splice(0)) frame()
  // The send runs from a message posted in the frame: after it, as a task of its own.
  await new Promise((resolve) => setTimeout(resolve, 5))
}

beforeEach(() => {
  frames = []
  listeners = new Map()
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback))
  vi.stubGlobal('addEventListener', (type: string, listener: () => void) => listeners.set(type, listener))
  vi.stubGlobal('removeEventListener', (type: string) => listeners.delete(type))
})
afterEach(() => vi.unstubAllGlobals())

describe('sending after the frame', () => {
  it('sends nothing inside the change, then everything typed before the frame as one update', async () => {
    const doc = new Y.Doc()
    const { provider, sent } = providerOf(doc)
    sendAfterFrame(provider)
    const text = doc.getText('t')
    text.insert(0, 'a')
    text.insert(1, 'b')
    expect(sent).toHaveLength(0)
    await drawFrame()
    expect(sent).toHaveLength(1)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, sent[0]!)
    expect(replica.getText('t').toString()).toBe('ab')
  })

  it('does not send back what came from the server', async () => {
    const server = new Y.Doc()
    server.getText('t').insert(0, 'from the server')
    const doc = new Y.Doc()
    const { provider, sent } = providerOf(doc)
    sendAfterFrame(provider)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), provider)
    await drawFrame()
    expect(sent).toHaveLength(0)
  })

  it('sends the presence after the document changes it may point into', async () => {
    const doc = new Y.Doc()
    const { provider, sent, presence, order } = providerOf(doc)
    sendAfterFrame(provider)
    provider.awareness.setLocalStateField('cursor', { at: 1 })
    doc.getText('t').insert(0, 'x')
    await drawFrame()
    expect(order).toEqual(['document', 'presence'])
    expect(sent).toHaveLength(1)
    expect(presence).toEqual([[doc.clientID]])
  })

  it('sends what waits at once when the page is left, before any frame', () => {
    const doc = new Y.Doc()
    const { provider, sent } = providerOf(doc)
    sendAfterFrame(provider)
    doc.getText('t').insert(0, 'last key')
    listeners.get('pagehide')?.()
    expect(sent).toHaveLength(1)
  })

  it('sends after a short wait where no frame comes (a hidden tab)', async () => {
    const doc = new Y.Doc()
    const { provider, sent } = providerOf(doc)
    sendAfterFrame(provider)
    doc.getText('t').insert(0, 'typed in a hidden tab')
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(sent).toHaveLength(1)
    // The frame that comes later sends nothing twice.
    await drawFrame()
    expect(sent).toHaveLength(1)
  })

  it('hands the sending back on stop, with what waited sent first', () => {
    const doc = new Y.Doc()
    const { provider, sent } = providerOf(doc)
    const stop = sendAfterFrame(provider)
    doc.getText('t').insert(0, 'a')
    stop()
    expect(sent).toHaveLength(1)
    expect(listeners.size).toBe(0)
  })
})
