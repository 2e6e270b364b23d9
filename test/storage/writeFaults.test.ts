import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import { StorageWriteError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { RecordLog } from '../../server/storage/recordLog.ts'
import { type DiskOperation, PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { TokenDoc, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const text = (s: string) => encoder.encode(s)

const faults: [DiskOperation, string][] = [
  ['write', 'ENOSPC'],
  ['write', 'EIO'],
  ['fsync', 'ENOSPC'],
  ['fsync', 'EIO'],
]

async function readLog(file: string) {
  const opened = await RecordLog.open(nodeFileSystem, file)
  await opened.log.close()
  return opened
}

/** Fails every `operation` with `code` until the returned function is called. */
function failWhileOn(disk: PowerCutDisk, operation: DiskOperation, code: string): () => void {
  let on = true
  disk.failWhen((op) => (on && op === operation ? code : undefined))
  return () => {
    on = false
  }
}

describe.each(faults)('a record log whose %s fails with %s', (operation, code) => {
  it('rejects the affected appends with StorageWriteError and the code, and loses nothing acknowledged', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const file = path.join(tempDir(), 'test.log')
    const { log } = await RecordLog.open(disk.fileSystem(), file)
    await log.append(text('one'))
    await log.append(text('two'))
    const stopFaults = failWhileOn(disk, operation, code)
    const failed = await Promise.allSettled([log.append(text('lost 1')), log.append(text('lost 2'))])
    for (const result of failed) {
      expect(result.status).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(StorageWriteError)
      expect(error).toMatchObject({ code, path: file })
      expect(error.message).toContain(file)
    }
    await expect(log.append(text('still failing'))).rejects.toMatchObject({ code })
    stopFaults()
    await log.append(text('three'))
    await log.close()
    // A power cut now must keep every acknowledged record, and nothing else may sit between them.
    await disk.powerCut()
    const { records, repair } = await readLog(file)
    expect(repair).toBeUndefined()
    expect(records.map((r) => decoder.decode(r))).toEqual(['one', 'two', 'three'])
  })
})

describe('a record log that cannot even truncate after a failed write', () => {
  it('keeps trying to truncate before writing, so no garbage is left before later records', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const file = path.join(tempDir(), 'test.log')
    const { log } = await RecordLog.open(disk.fileSystem(), file)
    await log.append(text('one'))
    disk.failNext('write', 'ENOSPC')
    disk.failNext('truncate', 'EIO', 3)
    await expect(log.append(text('half written'))).rejects.toMatchObject({ code: 'ENOSPC' })
    await expect(log.append(text('refused: truncate fails'))).rejects.toMatchObject({ code: 'EIO' })
    await log.append(text('two'))
    await log.close()
    const { records, repair } = await readLog(file)
    expect(repair).toBeUndefined()
    expect(records.map((r) => decoder.decode(r))).toEqual(['one', 'two'])
    expect((await readFile(file)).byteLength).toBe(log.size)
  })
})

describe.each(faults)('a document store whose %s fails with %s', (operation, code) => {
  it('rejects the append, then stores it with the next one once the disk works again', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const store = await FileDocumentStore.open(disk.fileSystem(), tempDir())
    const author = new TokenDoc(1)
    await store.create('doc', author.insert('created'), 'alice')
    await store.append('doc', author.insert('acknowledged'), 'alice')
    const stopFaults = failWhileOn(disk, operation, code)
    const rejected = store.append('doc', author.insert('rejected'), 'alice')
    await expect(rejected).rejects.toBeInstanceOf(StorageWriteError)
    await expect(rejected).rejects.toMatchObject({ code })
    // The next update depends on the rejected one (same client): both must end up on disk together.
    await expect(store.append('doc', author.insert('during the fault'), 'bob')).rejects.toMatchObject({
      code,
    })
    stopFaults()
    await store.append('doc', author.insert('after'), 'bob')
    await store.closeAll()
    await disk.powerCut()
    const reopened = await FileDocumentStore.open(nodeFileSystem, tempDir())
    const loaded = await reopened.load('doc')
    const doc = TokenDoc.fromLoaded(loaded!)
    expect(doc.hasMissingDependencies).toBe(false)
    expect(doc.tokens).toEqual(new Set(['created', 'acknowledged', 'rejected', 'during the fault', 'after']))
    expect(loaded!.repairs).toEqual([])
    await reopened.closeAll()
  })
})
