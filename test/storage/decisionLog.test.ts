import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DecisionLog } from '../../server/storage/decisionLog.ts'
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import { DocumentNotFoundError, StorageCorruptError, StorageWriteError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { TokenDoc, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()

interface Decision {
  type: 'agreed' | 'objection'
  clauseId: string
  by: string
}

const decision = (n: number): Decision => ({ type: 'agreed', clauseId: `c${n}`, by: 'chair' })
const logFile = () => path.join(tempDir(), 'docs', 'd1', 'decisions.log')

async function withDocument(root = tempDir(), fs = nodeFileSystem) {
  const store = await FileDocumentStore.open(fs, root)
  await store.create('d1', new TokenDoc().insert('a'), 'alice')
  await store.closeAll()
}

async function reopen() {
  const opened = await DecisionLog.open<Decision>(nodeFileSystem, tempDir(), 'd1')
  await opened.log.close()
  return opened
}

describe('DecisionLog', () => {
  it('reads back every appended event, from the file', async () => {
    await withDocument()
    const { log, events } = await DecisionLog.open<Decision>(nodeFileSystem, tempDir(), 'd1')
    expect(events).toEqual([])
    await Promise.all([1, 2, 3].map((n) => log.append(decision(n))))
    expect(await log.readAll()).toEqual([decision(1), decision(2), decision(3)])
    await log.close()
    expect((await reopen()).events).toEqual([decision(1), decision(2), decision(3)])
  })

  it('belongs to a stored document', async () => {
    await expect(DecisionLog.open(nodeFileSystem, tempDir(), 'nope')).rejects.toBeInstanceOf(
      DocumentNotFoundError,
    )
  })

  it('keeps every acknowledged event through a power cut', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    await withDocument(tempDir(), disk.fileSystem())
    const { log } = await DecisionLog.open<Decision>(disk.fileSystem(), tempDir(), 'd1')
    await log.append(decision(1))
    await log.append(decision(2))
    disk.cutAfter(1)
    await expect(log.append(decision(3))).rejects.toBeInstanceOf(StorageWriteError)
    await disk.powerCut()
    expect((await reopen()).events).toEqual([decision(1), decision(2)])
  })

  it('does not let a rejected event reappear later', async () => {
    await withDocument()
    const disk = await PowerCutDisk.create(tempDir())
    const { log } = await DecisionLog.open<Decision>(disk.fileSystem(), tempDir(), 'd1')
    await log.append(decision(1))
    disk.failNext('fsync', 'EIO')
    await expect(log.append(decision(2))).rejects.toMatchObject({ code: 'EIO' })
    await log.append(decision(3))
    await log.close()
    expect((await reopen()).events).toEqual([decision(1), decision(3)])
  })

  it('cuts a torn last event, saving its bytes aside, and reports it', async () => {
    await withDocument()
    const { log } = await DecisionLog.open<Decision>(nodeFileSystem, tempDir(), 'd1')
    await log.append(decision(1))
    await log.append(decision(2))
    await log.close()
    const bytes = await readFile(logFile())
    await writeFile(logFile(), bytes.subarray(0, bytes.byteLength - 4))
    const { events, repair } = await reopen()
    expect(events).toEqual([decision(1)])
    expect(repair).toMatchObject({ path: logFile(), reason: 'incomplete record' })
    expect((await readFile(repair!.savedTo)).byteLength).toBe(repair!.droppedBytes)
  })

  it('refuses damage in the middle and leaves the file as it was', async () => {
    await withDocument()
    const { log } = await DecisionLog.open<Decision>(nodeFileSystem, tempDir(), 'd1')
    for (const n of [1, 2, 3]) await log.append(decision(n))
    await log.close()
    const bytes = await readFile(logFile())
    bytes[12]! ^= 0x20
    await writeFile(logFile(), bytes)
    const error = await reopen().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageCorruptError)
    expect(error).toMatchObject({ path: logFile(), offset: 0 })
    expect(Buffer.compare(await readFile(logFile()), bytes)).toBe(0)
  })
})
