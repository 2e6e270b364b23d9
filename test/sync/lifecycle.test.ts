import { appendFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { breakMetadata, flipSnapshotByte } from '../support/storedState.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { ON_FILES, startTestServer } from '../support/testServer.ts'

const summaryOf = (client: ReturnType<typeof connectClient>) =>
  firstParagraphText(clauseByTitle(client.body, 'Summary')).toString()

describe('process lifecycle', () => {
  test('SIGTERM flushes, closes sockets with 1012 and exits 0; everything typed is there after restart', async () => {
    const server = await startTestServer({ childProcess: true })
    const ws = await buildWorkspace(server)
    const client = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await client.synced()
    firstParagraphText(clauseByTitle(client.body, 'Summary')).insert(0, 'typed just before shutdown')
    await new Promise((r) => setTimeout(r, 50))
    await server.stop({ keepData: true })
    await waitFor(() => client.closes.length > 0, 'socket closed')
    expect(client.closes[0]!.code).toBe(CLOSE_CODES.serviceRestart)
    expect(server.exitCode()).toBe(0)
    client.destroy()
    await server.restart()
    const reader = connectClient(server, ws.deliverable.id, ws.chair.cookie)
    await reader.synced()
    expect(summaryOf(reader)).toBe('typed just before shutdown')
    reader.destroy()
    await server.stop()
  })

  test('a document is unloaded after its last client leaves, and loads again from disk', async () => {
    const server = await startTestServer({ env: { UNLOAD_AFTER_MS: '200' } })
    const ws = await buildWorkspace(server)
    const client = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await client.synced()
    firstParagraphText(clauseByTitle(client.body, 'Summary')).insert(0, 'kept on disk')
    await waitFor(() => !!server.accord!.ctx.hub.loaded(ws.deliverable.id), 'loaded')
    client.destroy()
    await waitFor(() => !server.accord!.ctx.hub.loaded(ws.deliverable.id), 'unloaded', 10_000)
    const reader = connectClient(server, ws.deliverable.id, ws.chair.cookie)
    await reader.synced()
    expect(summaryOf(reader)).toBe('kept on disk')
    reader.destroy()
    await server.stop()
  })

  // PostgreSQL commits whole transactions: a torn record is a file backend's matter.
  test.skipIf(!ON_FILES)(
    'a torn record at the end of the log is cut off; everything before it loads',
    async () => {
      const server = await startTestServer()
      const ws = await buildWorkspace(server)
      const client = connectClient(server, ws.deliverable.id, ws.editor.cookie)
      await client.synced()
      firstParagraphText(clauseByTitle(client.body, 'Summary')).insert(0, 'before the tear')
      await new Promise((r) => setTimeout(r, 100))
      client.destroy()
      await server.stop({ keepData: true })
      const dir = path.join(server.dataDir, 'docs', ws.deliverable.id)
      const log = (await readdir(dir)).find((name) => name.startsWith('updates'))!
      // A record header announcing 1,000 bytes, then only three of them: a crash in the middle of a write.
      await appendFile(path.join(dir, log), Buffer.from([0, 0, 3, 232, 1, 2, 3, 4, 9, 9, 9]))
      const again = await startTestServer({ dataDir: server.dataDir })
      const reader = connectClient(again, ws.deliverable.id, ws.chair.cookie)
      await reader.synced()
      expect(summaryOf(reader)).toBe('before the tear')
      expect((await readdir(dir)).some((name) => name.includes('torn'))).toBe(true)
      reader.destroy()
      await again.stop()
    },
  )

  test('a snapshot with a flipped byte: the document is refused with a clear error and the snapshot is left alone', async () => {
    const server = await startTestServer({ env: { COMPACT_AFTER_BYTES: '1' } })
    const ws = await buildWorkspace(server)
    const client = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await client.synced()
    firstParagraphText(clauseByTitle(client.body, 'Summary')).insert(0, 'compacted text')
    // COMPACT_AFTER_BYTES=1: the first append is followed by a compaction into a snapshot.
    await new Promise((r) => setTimeout(r, 300))
    client.destroy()
    await server.stop({ keepData: true })
    const damage = await flipSnapshotByte(server, ws.deliverable.id)
    const damaged = await damage.read()
    const again = await startTestServer({ dataDir: server.dataDir })
    const response = await fetch(`${again.url}/api/deliverables/${ws.deliverable.id}`, {
      headers: { cookie: ws.chair.cookie },
    })
    expect(response.status).toBe(503)
    expect((await response.json()).error.message).toContain(damage.where)
    expect(await damage.read()).toBe(damaged)
    await again.stop()
  })
})

describe('unreadable metadata', () => {
  test('invalid metadata JSON: the server starts, says what it could not read, serves nothing and never overwrites it', async () => {
    const first = await startTestServer()
    await buildWorkspace(first)
    await first.stop({ keepData: true })
    const damage = await breakMetadata(first)
    const broken = await damage.read()
    const server = await startTestServer({ dataDir: first.dataDir })
    const health = await fetch(`${server.url}/api/health`)
    expect(health.status).toBe(503)
    expect((await health.json()).error.message).toContain(damage.where)
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: server.setupToken,
        email: 'x@example.org',
        name: 'X',
        password: 'long enough pw',
      }),
    })
    expect(setup.status).toBe(503)
    await server.stop({ keepData: true })
    expect(await damage.read()).toBe(broken)
  })
})
