/**
 * An accepted update that makes `Y.applyUpdate` throw half-way is kept by no one (SYNC.md §2.8). The checks refuse
 * every crafted update known to make Yjs throw, so the fault is injected: a deep observer on the server's body that
 * throws once. Yjs calls observers in the transaction clean-up, emits `update` in its `finally` and only then
 * rethrows, exactly as for an update that throws in the middle of integrating. What users see: the text is not
 * stored, reaches nobody, its sender is told `resync-required` (a plain client: closed with 4409), everyone else is
 * closed with 1013 and re-syncs to the reloaded document, what was accepted just before survives, and the document
 * goes on working.
 */
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { SyncConnection } from '../../server/sync/connection.ts'
import type { LiveDocument } from '../../server/sync/liveDocument.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { CLOSE_CODES, MESSAGE_ACCORD } from '../../shared/protocol/messages.ts'
import { bodyOf, readServerDoc } from '../campaign/support/serverDoc.ts'
import { newDeliverable, savedAll, type Workspace } from '../consensus/support.ts'
import { buildWorkspace, type Session } from '../support/factories.ts'
import { client } from '../support/http.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

/** A server and its workspace for one configuration; `restart` keeps the data and the sessions. */
interface Fixture {
  server: TestServer
  ws: Workspace
  env: Record<string, string>
}

/** Stops the server and starts it again on the same data; the sessions' API clients follow it. */
async function restart(fixture: Fixture): Promise<void> {
  await fixture.server.stop({ keepData: true })
  fixture.server = await startTestServer({ dataDir: fixture.server.dataDir, env: fixture.env })
  for (const session of Object.values(fixture.ws) as Session[])
    if (session && typeof session === 'object' && 'cookie' in session)
      session.api = client(fixture.server.url, session.cookie)
}

/** Appends `words` to the first paragraph of the clause titled `title`, in `client`'s replica. */
function type(target: LiveClient, title: string, words: string): void {
  const text = firstParagraphText(clauseByTitle(target.body, title))
  text.insert(text.length, words)
}

/**
 * The premise of the fault injection, on plain Y.Docs: an observer that throws makes `Y.applyUpdate` throw, after
 * Yjs has integrated the whole update and emitted `update` for it. If a Yjs upgrade changes this, the injected fault
 * no longer stands for a half-way throw, and this fails first.
 */
function expectYjsEmitsUpdateThenRethrows(): void {
  const source = new Y.Doc()
  source.transact(() => {
    const clause = new Y.XmlElement('clause')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('Some text.')])
    clause.insert(0, [paragraph])
    source.getXmlFragment(BODY_FIELD).insert(0, [clause])
  })
  const target = new Y.Doc()
  Y.applyUpdate(target, Y.encodeStateAsUpdate(source))
  const targetBody = target.getXmlFragment(BODY_FIELD)
  let armed = true
  targetBody.observeDeep(() => {
    if (!armed) return
    armed = false
    throw new Error('injected observer fault')
  })
  const events: string[] = []
  const emitted: Uint8Array[] = []
  target.on('update', (update: Uint8Array) => {
    events.push('update')
    emitted.push(update)
  })

  const known = Y.encodeStateAsUpdate(target)
  const before = Y.encodeStateVector(source)
  const paragraph = (source.getXmlFragment(BODY_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlElement
  ;(paragraph.get(0) as Y.XmlText).insert(10, ' Typed into the trap.')
  const update = Y.encodeStateAsUpdate(source, before)
  try {
    Y.applyUpdate(target, update, 'remote')
    events.push('returned')
  } catch (error) {
    events.push(`threw: ${(error as Error).message}`)
  }
  expect(events).toEqual(['update', 'threw: injected observer fault'])
  // The in-memory document holds the text, nothing is pending: only the throw tells that something went wrong.
  expect(targetBody.toString()).toContain('Typed into the trap.')
  const store = target.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
  expect(store.pendingStructs).toBeNull()
  expect(store.pendingDs).toBeNull()
  // And what Yjs emitted carries it: a server that stored or sent the emitted update would leak it.
  const receiver = new Y.Doc()
  Y.applyUpdate(receiver, known)
  for (const piece of emitted) Y.applyUpdate(receiver, piece)
  expect(receiver.getXmlFragment(BODY_FIELD).toString()).toContain('Typed into the trap.')
}

interface Trap {
  arm(senderUserId: string): void
  fired: { sawBefore: boolean; sawTrapped: boolean } | null
}

/**
 * A deep observer on the live document's body that throws once, when armed, for the first transaction sent by a
 * connection of `senderUserId` (so that no other client's edit can spring it). It records what the in-memory
 * document held at that moment.
 */
function setTrap(live: LiveDocument, before: string, trapped: string): Trap {
  let armedFor: string | null = null
  const trap: Trap = {
    arm: (senderUserId) => {
      armedFor = senderUserId
    },
    fired: null,
  }
  live.body.observeDeep((_events, transaction) => {
    if (armedFor === null) return
    const origin = transaction.origin
    if (!(origin instanceof SyncConnection) || origin.user.id !== armedFor) return
    armedFor = null
    const text = live.body.toString()
    trap.fired = { sawBefore: text.includes(before), sawTrapped: text.includes(trapped) }
    throw new Error('injected fault: an observer threw during the apply')
  })
  return trap
}

/** Stops the provider as soon as the server refuses its update, as the editor's session does (SYNC.md §3). */
function stopOnRefusal(target: LiveClient): void {
  const handle = target.provider.messageHandlers[MESSAGE_ACCORD]!
  target.provider.messageHandlers[MESSAGE_ACCORD] = (encoder, decoder, provider, emitSynced, messageType) => {
    const peek = decoding.clone(decoder)
    handle(encoder, decoder, provider, emitSynced, messageType)
    const message = JSON.parse(decoding.readVarString(peek)) as { type: string }
    if (message.type === 'refused') provider.disconnect()
  }
}

const CONFIGURATIONS: { name: string; env: Record<string, string> }[] = [
  { name: 'with the default settings', env: {} },
  // Compaction snapshots the whole in-memory document whenever an append completes past the threshold: it must
  // not snapshot a document whose apply has just failed (the edit accepted just before is appended meanwhile).
  {
    name: 'with a compaction due at every append (COMPACT_AFTER_BYTES=1)',
    env: { COMPACT_AFTER_BYTES: '1' },
  },
]

describe.each(CONFIGURATIONS)('an accepted update whose apply throws half-way, $name', ({ env }) => {
  const fixture = { env } as Fixture
  beforeAll(async () => {
    fixture.server = await startTestServer({ env })
    fixture.ws = await buildWorkspace(fixture.server)
  })
  afterAll(async () => fixture.server?.stop())

  test.each([
    { sender: 'an editor that said hello', hello: true },
    { sender: 'a plain y-websocket editor', hello: false },
  ])(
    'from $sender: is stored and sent to no one, and everyone else re-syncs to the reloaded document',
    async ({ hello }) => {
      expectYjsEmitsUpdateThenRethrows()
      const { ws } = fixture
      const server = () => fixture.server
      const hub = () => fixture.server.accord!.ctx.hub

      const before = ' Typed just before the fault.'
      const trapped = ' Typed into the trap.'
      const after = ' Typed after the reload.'
      const deliverable = (await newDeliverable(ws)).id

      // A bystander with the editor open; it must never hold the trapped text, not even for a moment.
      const bystander = connectClient(server(), deliverable, ws.chair.cookie, { accord: true })
      await bystander.synced()
      let bystanderHeldTrapped = false
      bystander.doc.on('update', () => {
        if (bystander.body.toString().includes(trapped)) bystanderHeldTrapped = true
      })

      const sender = connectClient(server(), deliverable, ws.editor.cookie, { accord: hello })
      if (hello) stopOnRefusal(sender)
      await sender.synced()

      const live = await hub().get(deliverable)
      expect(hub().loaded(deliverable)).toBe(live)
      const trap = setTrap(live, before, trapped)

      // Another editor types just before, in the same turn of the event loop: the server reads both frames in one
      // poll, so the earlier edit is accepted (in the document, the trap checks) but neither sent nor stored yet when
      // the fault strikes. Its provider stops at once, so that only the server can keep its text (a provider that
      // reconnects re-sends it).
      const early = connectClient(server(), deliverable, ws.editor2.cookie, { accord: true })
      await early.synced()
      trap.arm(ws.editor.user.id)
      type(early, 'Keywords', before)
      early.provider.disconnect()
      type(sender, 'Scope', trapped)

      // The sender learns that nothing of it was kept.
      if (hello) {
        await waitFor(() => sender.messages.some((m) => m.type === 'refused'), 'the refusal')
        expect(sender.messages.filter((m) => m.type === 'refused')).toEqual([
          expect.objectContaining({ type: 'refused', reason: 'resync-required' }),
        ])
      } else {
        await waitFor(() => sender.closes.length > 0, 'the sender closed')
        expect(sender.closes[0]).toEqual({ code: CLOSE_CODES.resyncRequired, reason: 'resync-required' })
      }
      expect(trap.fired, 'the trap fired after the earlier edit was accepted').toEqual({
        sawBefore: true,
        sawTrapped: true,
      })
      // A refused replica is finished: its provider does not come back with the text.
      expect(sender.provider.shouldConnect).toBe(false)
      expect(sender.body.toString()).toContain(trapped)

      // The bystander is closed with 1013, reconnects, and re-syncs to the reloaded document.
      await waitFor(
        () => bystander.closes.some((close) => close.code === CLOSE_CODES.tryAgainLater),
        'the bystander closed with 1013',
      )
      await waitFor(
        () => bystander.provider.wsconnected && bystander.provider.synced,
        'the bystander reconnected and synced',
      )
      const reloaded = hub().loaded(deliverable)
      expect(reloaded).toBeDefined()
      expect(reloaded).not.toBe(live)
      expect(live.doc.isDestroyed).toBe(true)
      const serverText = reloaded!.body.toString()
      expect(serverText).toContain(before)
      expect(serverText, 'the reloaded document').not.toContain(trapped)
      const overTheWire = bodyOf(await readServerDoc(server().wsUrl, deliverable, ws.chair.cookie)).toString()
      expect(overTheWire).toBe(serverText)
      expect(bystander.body.toString()).toBe(serverText)
      expect(bystanderHeldTrapped, 'the bystander held the trapped text').toBe(false)
      expect(bystander.messages.filter((m) => m.type === 'refused')).toEqual([])
      expect(bystander.closes.map((close) => close.code)).toEqual([CLOSE_CODES.tryAgainLater])

      // A late joiner gets the reloaded document, without the trapped text.
      const late = connectClient(server(), deliverable, ws.observer.cookie)
      await late.synced()
      expect(late.body.toString()).toBe(serverText)
      late.destroy()

      // The document works: a fresh replica of the sender syncs, types, is saved, and reaches the bystander.
      sender.destroy()
      early.destroy()
      const fresh = connectClient(server(), deliverable, ws.editor.cookie, { accord: true })
      await fresh.synced()
      expect(fresh.body.toString()).toBe(serverText)
      type(fresh, 'Scope', after)
      await savedAll(fresh)
      expect(fresh.messages.filter((m) => m.type === 'refused')).toEqual([])
      await waitFor(() => bystander.body.toString().includes(after), 'the later edit reaches the bystander')
      expect(bystanderHeldTrapped, 'the bystander held the trapped text').toBe(false)
      fresh.destroy()
      bystander.destroy()

      // What is stored: the earlier and the later edit, never the trapped one.
      await restart(fixture)
      const stored = bodyOf(await readServerDoc(server().wsUrl, deliverable, ws.chair.cookie)).toString()
      expect(stored).toContain(before)
      expect(stored).toContain(after)
      expect(stored, 'the stored document').not.toContain(trapped)
    },
  )
})
