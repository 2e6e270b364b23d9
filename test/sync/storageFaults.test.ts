import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { ON_FILES, startTestServer, type TestServer } from '../support/testServer.ts'
import { tokenStreamer } from '../support/tokenStreamer.ts'

let dataDir: string
let ws: Awaited<ReturnType<typeof buildWorkspace>>
let disk: PowerCutDisk
let server: TestServer

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-faults-'))
  const setup = await startTestServer({ dataDir })
  ws = await buildWorkspace(setup)
  await setup.stop({ keepData: true })
  disk = await PowerCutDisk.create(dataDir)
  server = await startTestServer({ dataDir, fileSystem: disk.fileSystem() })
})
afterAll(async () => {
  await server.stop({ keepData: true })
  await rm(dataDir, { recursive: true, force: true })
})

for (const code of ['ENOSPC', 'EIO']) {
  // The FileSystem seam fails the file backend's writes; PostgreSQL's own failures are tested in test/storage.
  test.skipIf(!ON_FILES)(
    `${code} on the update log: clients are told, edits wait, nothing acknowledged is lost, and it recovers by itself`,
    async () => {
      const client = connectClient(server, ws.deliverable.id, ws.editor.cookie, { accord: true })
      await client.synced()
      const stream = tokenStreamer(client, 'Summary', `${code}-`)
      for (let i = 0; i < 20; i++) stream.typeOne()
      await waitFor(() => {
        stream.collect()
        return stream.acknowledged.size === 20
      }, 'first edits saved')
      const storageMessages: { writable: boolean }[] = []
      const watcher = connectClient(server, ws.deliverable.id, ws.chair.cookie, { accord: true })
      await watcher.synced()

      let failing = true
      disk.failWhen((operation, file) =>
        failing && file.includes('updates') && (operation === 'write' || operation === 'fsync')
          ? code
          : undefined,
      )
      const text = firstParagraphText(clauseByTitle(client.body, 'Summary'))
      text.insert(text.length, `<during-${code}>`)
      await waitFor(
        () => watcher.messages.some((m) => m.type === 'storage' && !m.writable),
        'the storage message',
      )
      for (const m of watcher.messages) if (m.type === 'storage') storageMessages.push(m)
      expect(storageMessages[0]!.writable).toBe(false)
      // While failing, nothing new is acknowledged.
      stream.collect()
      expect(stream.acknowledged.size).toBe(20)

      failing = false
      disk.failWhen(undefined)
      await waitFor(
        () => watcher.messages.some((m) => m.type === 'storage' && m.writable),
        'writable again',
        20_000,
      )
      // The editor reconnects by itself (1013 is not a 44xx code) and its edit is saved.
      await waitFor(
        () =>
          firstParagraphText(clauseByTitle(watcher.body, 'Summary')).toString().includes(`<during-${code}>`),
        'edit arrives',
        20_000,
      )
      for (const c of [client, watcher]) c.destroy()

      const reader = connectClient(server, ws.deliverable.id, ws.observer.cookie)
      await reader.synced()
      const stored = firstParagraphText(clauseByTitle(reader.body, 'Summary')).toString()
      for (const token of stream.acknowledged) expect(stored).toContain(token)
      reader.destroy()
    },
  )
}

test.skipIf(!ON_FILES)(
  'after recovery, a restart finds every edit, including those typed while the disk failed',
  async () => {
    await server.stop({ keepData: true })
    server = await startTestServer({ dataDir, fileSystem: disk.fileSystem() })
    const reader = connectClient(server, ws.deliverable.id, ws.observer.cookie)
    await reader.synced()
    const stored = firstParagraphText(clauseByTitle(reader.body, 'Summary')).toString()
    expect(stored).toContain('<during-ENOSPC>')
    expect(stored).toContain('<during-EIO>')
    reader.destroy()
  },
)
