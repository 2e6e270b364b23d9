import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { tokenStreamer } from '../support/tokenStreamer.ts'

describe('acknowledged means durable', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ childProcess: true })
  })
  afterAll(async () => server.stop())

  test('SIGKILL mid-stream: after restart every edit acknowledged as saved is present', async () => {
    const ws = await buildWorkspace(server)
    const client = connectClient(server, ws.deliverable.id, ws.editor.cookie, { accord: true })
    await client.synced()
    const stream = tokenStreamer(client)
    const typing = setInterval(() => stream.typeOne(), 2)
    await waitFor(() => {
      stream.collect()
      return stream.acknowledged.size >= 300
    }, '300 acknowledged edits')
    await server.kill()
    clearInterval(typing)
    stream.collect()
    const acknowledged = [...stream.acknowledged]
    client.destroy()
    await server.restart()
    const reader = connectClient(server, ws.deliverable.id, ws.chair.cookie)
    await reader.synced()
    const stored = firstParagraphText(clauseByTitle(reader.body, 'Summary')).toString()
    const missing = acknowledged.filter((token) => !stored.includes(token))
    expect(acknowledged.length).toBeGreaterThanOrEqual(300)
    expect(missing).toEqual([])
    reader.destroy()
  })
})
