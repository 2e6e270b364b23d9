import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { type DiskOptions, PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { ON_FILES, startTestServer, type TestServer } from '../support/testServer.ts'
import { tokenStreamer } from '../support/tokenStreamer.ts'

/**
 * The server on a disk that loses every byte not yet fsync'd: SIGKILL keeps the page cache, so only this shows
 * that "saved" is sent after fsync and not before (SYNC.md §5).
 */
let dataDir: string
let runs = 0
let ws: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-powercut-'))
  const setup = await startTestServer({ dataDir })
  ws = await buildWorkspace(setup)
  await setup.stop({ keepData: true })
})
afterAll(async () => rm(dataDir, { recursive: true, force: true }))

/** Streams edits, cuts the power once `ackedBefore` edits are acknowledged, restarts; returns what was lost. */
async function cutDuringTyping(
  disk: PowerCutDisk,
  ackedBefore: number,
): Promise<{ acknowledged: number; lost: string[] }> {
  const server: TestServer = await startTestServer({ dataDir, fileSystem: disk.fileSystem() })
  const client = connectClient(server, ws.deliverable.id, ws.editor.cookie, { accord: true })
  await client.synced()
  const stream = tokenStreamer(client, 'Summary', `cut${++runs}-`)
  const typing = setInterval(() => stream.typeOne(), 1)
  await waitFor(() => {
    stream.collect()
    return stream.acknowledged.size >= ackedBefore
  }, `${ackedBefore} acknowledged edits`)
  await disk.powerCut()
  clearInterval(typing)
  stream.collect()
  const acknowledged = [...stream.acknowledged]
  client.destroy()
  // The old process is gone with the power: its file system fails from now on, whatever it still tries.
  await server.stop({ keepData: true }).catch(() => undefined)

  const restarted = await startTestServer({ dataDir, fileSystem: disk.fileSystem() })
  const reader = connectClient(restarted, ws.deliverable.id, ws.chair.cookie)
  await reader.synced()
  const text = firstParagraphText(clauseByTitle(reader.body, 'Summary')).toString()
  reader.destroy()
  await restarted.stop({ keepData: true })
  return { acknowledged: acknowledged.length, lost: acknowledged.filter((t) => !text.includes(t)) }
}

// A power cut of the file system under the file backend; PostgreSQL makes its own commits durable.
describe.skipIf(!ON_FILES)('power cuts', () => {
  test('three power cuts while typing: every acknowledged edit survives', async () => {
    const disk = await PowerCutDisk.create(dataDir)
    for (const ackedBefore of [40, 120, 200]) {
      const { acknowledged, lost } = await cutDuringTyping(disk, ackedBefore)
      expect(acknowledged).toBeGreaterThanOrEqual(ackedBefore)
      expect(lost).toEqual([])
    }
  })

  test('the check has teeth: a disk whose fsync does nothing loses acknowledged edits', async () => {
    const options: DiskOptions = { skipFileSync: true }
    const disk = await PowerCutDisk.create(dataDir, options)
    const { lost } = await cutDuringTyping(disk, 60)
    expect(lost.length).toBeGreaterThan(0)
  })
})
