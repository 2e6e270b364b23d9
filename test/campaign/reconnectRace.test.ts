/**
 * A keystroke typed as the socket reopens, found by databaseOutage.test.ts (its typists reconnect again and again
 * while they type). y-websocket sends each local update as soon as the socket is open, so a keystroke made before
 * the server's sync step 1 arrives reaches the server ahead of the client's sync step 2, which carries what was
 * typed while disconnected. The keystroke depends on those edits: the causality check refuses it as
 * resync-required, the connection is marked refused and ignores the step 2 that follows, and the socket stays
 * open. A plain client then waits forever; Accord's client ends its replica (SYNC.md §3) although nothing was
 * wrong with it. Any reconnect with unsent edits while the user types can hit it: after a network cut, a
 * server restart, a full disk or a database outage (each refusal closes the socket with 1013, and the client
 * reconnects while typing).
 *
 * Fixed in server/sync/liveDocument.ts: the first update of a connection that fails the causality check is not
 * applied (nothing goes pending) but answered with sync step 1; the client's step 2 then brings it with what it
 * depends on. A step 2 that still leaves a gap is refused as before.
 */
import { afterAll, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { bodyOf, readServerDoc } from './support/serverDoc.ts'
import { addClauses, connectAt, savedAll } from './support/workload.ts'

let server: TestServer | undefined

afterAll(async () => server?.stop())

test('a keystroke typed as the socket reopens, ahead of the edits typed offline, is saved with them', async () => {
  server = await startTestServer()
  const ws = await buildWorkspace(server)
  const id = ws.deliverable.id
  await addClauses(server, id, ws.editor, [{ id: 'race', title: 'Race' }])
  const typist = connectAt(server, id, ws.editor)
  try {
    await typist.synced()
    const text = () => firstParagraphText(clauseByTitle(typist.body, 'Race'))
    text().insert(0, 'Saved before. ')
    await savedAll(typist)

    typist.provider.disconnect()
    text().insert(text().length, 'Typed offline. ')
    let typed = false
    // Runs when the socket opens, before the provider sends its sync step 1: the keystroke goes out first.
    typist.provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected' || typed) return
      typed = true
      text().insert(text().length, 'Typed as it reconnects.')
    })
    typist.provider.connect()
    // Saved, or refused (which today comes at once, where the acknowledgement would never come).
    const refused = () => typist.messages.some((m) => m.type === 'refused')
    await Promise.race([savedAll(typist, 10_000), waitFor(refused, 'a refusal', 10_000)]).catch(
      () => undefined,
    )
    expect(typist.messages.filter((m) => m.type === 'refused')).toEqual([])
    const held = bodyOf(await readServerDoc(server.wsUrl, id, ws.observer.cookie))
    expect(firstParagraphText(clauseByTitle(held, 'Race')).toString()).toBe(
      'Saved before. Typed offline. Typed as it reconnects.',
    )
  } finally {
    typist.destroy()
  }
})
