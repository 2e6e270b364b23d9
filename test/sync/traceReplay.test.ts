import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { type ConcurrentTrace, holds, loadTrace, replayConcurrent, untilHolds } from '../support/traces.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.stop())

test('the real two-person trace friendsforever, typed by two clients in causal order, ends in endContent', async () => {
  const ws = await buildWorkspace(server)
  const trace = loadTrace<ConcurrentTrace>('friendsforever.json.gz')
  const clients = [ws.editor, ws.editor2].map((s) => connectClient(server, ws.deliverable.id, s.cookie))
  await Promise.all(clients.map((c) => c.synced()))
  // One shared, empty text to type into: the Summary clause's paragraph.
  firstParagraphText(clauseByTitle(clients[0]!.body, 'Summary'))
  await waitFor(() => clients[1]!.body.toString() === clients[0]!.body.toString(), 'text element synced')
  const base = Y.encodeStateAsUpdate(clients[0]!.doc)
  const locate = (doc: Y.Doc) => firstParagraphText(clauseByTitle(doc.getXmlFragment('body'), 'Summary'))

  await replayConcurrent(trace, base, locate, async (agent, update, history) => {
    const client = clients[agent]!
    // A client types only on text it has: wait for the other agent's transactions to arrive from the server.
    if (!holds(client.doc, history)) await untilHolds(client.doc, history)
    Y.applyUpdate(client.doc, update, 'trace')
  })

  const text = (i: number) => locate(clients[i]!.doc).toString()
  await waitFor(
    () => {
      return text(0) === trace.endContent && text(1) === trace.endContent
    },
    'both clients reach endContent',
    60_000,
  )
  const late = connectClient(server, ws.deliverable.id, ws.observer.cookie)
  await late.synced()
  await waitFor(() => locate(late.doc).toString() === trace.endContent, 'a late joiner has endContent')
  expect(text(0)).toBe(trace.endContent)
  for (const c of [...clients, late]) c.destroy()
}, 180_000)
