/**
 * Applying is all or nothing, and a no-op is never a refusal (SYNC.md §2.2 and §2.8). An update that makes
 * `Y.applyUpdate` throw half-way leaves nothing behind (Yjs emits the part it integrated from its transaction
 * clean-up even when it throws): nothing stored, nothing sent, and the document keeps serving. And a reader's
 * provider, which re-sends the deletions it knows on every reconnect, is not refused for it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { openRaw, updateFrame } from '../campaign/support/rawSync.ts'
import { bodyOf, readServerDoc } from '../campaign/support/serverDoc.ts'
import { newDeliverable, savedAll, type Workspace } from '../consensus/support.ts'
import { deletedRanges, encodeUpdate, endOfParagraph, freshClientId } from '../support/craftedUpdates.ts'
import { buildWorkspace, type Session } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { restartOnSameData } from '../support/workspaceServer.ts'

let server: TestServer
let ws: Workspace

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server?.stop())

/** Stops the server and starts it again on the same data; the sessions' API clients follow it. */
async function restart(): Promise<void> {
  server = await restartOnSameData(server, ws)
}

/** Types at the end of Keywords as `session`, waits until it is saved. */
async function typeInKeywords(deliverableId: string, session: Session, words: string): Promise<void> {
  const writer = connectClient(server, deliverableId, session.cookie, { accord: true })
  await writer.synced()
  const keywords = firstParagraphText(clauseByTitle(writer.body, 'Keywords'))
  keywords.insert(keywords.length, words)
  await savedAll(writer)
  writer.destroy()
}

/** What a client that connects now receives, as XML. */
async function lateJoinerSees(deliverableId: string): Promise<string> {
  const late = connectClient(server, deliverableId, ws.observer.cookie)
  await late.synced()
  const seen = late.body.toString()
  late.destroy()
  return seen
}

describe('an update that makes Yjs throw half-way', () => {
  test('is stored and sent to no one, its sender is stopped, and the document keeps serving', async () => {
    const deliverable = (await newDeliverable(ws)).id
    const bystander = connectClient(server, deliverable, ws.chair.cookie)
    await bystander.synced()
    const attacker = freshClientId(bystander.doc)
    const half = ' Half of a hostile update.'
    const update = encodeUpdate({
      structs: [
        // An ordinary insertion at the end of Scope, an open clause.
        {
          client: attacker,
          clock: 0,
          origin: endOfParagraph(bystander.body, 'Scope'),
          content: { string: half },
        },
        // Its origin is the next clock of the same client: it is "in the update", but Yjs looks it up in the
        // store before integrating it, and throws.
        {
          client: attacker,
          clock: half.length,
          origin: { client: attacker, clock: half.length + 1 },
          content: { string: 'x' },
        },
        {
          client: attacker,
          clock: half.length + 1,
          origin: { client: attacker, clock: half.length - 1 },
          content: { string: 'y' },
        },
      ],
    })
    // What Yjs does with it: integrates the first struct, then throws.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(bystander.doc))
    expect(() => Y.applyUpdate(replica, update)).toThrow()
    expect(bodyOf(replica).toString()).toContain(half)

    const raw = await openRaw(server.wsUrl, deliverable, ws.editor.cookie)
    const outcome = await raw.send(updateFrame(update), { awaitSaved: true })
    raw.close()

    // A later honest edit reaches the bystander (so would anything sent before it), and is saved.
    await typeInKeywords(deliverable, ws.editor2, ' After the attack.')
    await waitFor(() => bystander.body.toString().includes('After the attack.'), 'the honest edit')
    expect(bystander.body.toString()).not.toContain(half)
    const late = await lateJoinerSees(deliverable)
    expect(late).toContain('After the attack.')
    expect(late).not.toContain(half)
    bystander.destroy()

    await restart()
    const reloaded = bodyOf(await readServerDoc(server.wsUrl, deliverable, ws.chair.cookie)).toString()
    expect(reloaded).toContain('After the attack.')
    expect(reloaded).not.toContain(half)
    expect(['refused', 'closed']).toContain(outcome.kind)
  })
})

describe('readers re-sending known deletions are not refused', () => {
  /** A deliverable in which an editor deleted text. */
  async function withDeletedText(): Promise<string> {
    const deliverable = (await newDeliverable(ws)).id
    const editor = connectClient(server, deliverable, ws.editor.cookie, { accord: true })
    await editor.synced()
    firstParagraphText(clauseByTitle(editor.body, 'Scope')).delete(0, 5)
    await savedAll(editor)
    editor.destroy()
    return deliverable
  }

  test('a plain y-websocket observer that reconnects is not closed, and still receives edits', async () => {
    const deliverable = await withDeletedText()
    const observer = connectClient(server, deliverable, ws.observer.cookie)
    await observer.synced()
    observer.provider.disconnect()
    observer.provider.connect()
    const stopped = () => observer.closes.some((close) => close.code >= 4400)
    await waitFor(() => (observer.provider.wsconnected && observer.provider.synced) || stopped(), 'a resync')
    expect(observer.closes.filter((close) => close.code >= 4400)).toEqual([])

    await typeInKeywords(deliverable, ws.editor2, ' Typed after the reconnect.')
    await waitFor(
      () => observer.body.toString().includes('Typed after the reconnect.') || stopped(),
      'the edit reaches the observer, or the observer is closed',
    )
    expect(observer.closes.filter((close) => close.code >= 4400)).toEqual([])
    observer.destroy()
  })

  for (const role of ['observer', 'participant'] as const) {
    test(`a hello'd ${role} whose sync step 2 holds only already-deleted ranges is not refused`, async () => {
      const deliverable = await withDeletedText()
      const known = await readServerDoc(server.wsUrl, deliverable, ws.chair.cookie)
      const deletes = deletedRanges(known)
      expect(deletes.length).toBeGreaterThan(0)

      const reader = await openRaw(server.wsUrl, deliverable, ws[role].cookie)
      const outcome = await reader.send(updateFrame(encodeUpdate({ structs: [], deletes }), 'step2'))
      expect(outcome).toEqual({ kind: 'handled', saved: false })
      expect(reader.messages().filter((m) => m.type === 'refused')).toEqual([])
      reader.close()
    })
  }
})
