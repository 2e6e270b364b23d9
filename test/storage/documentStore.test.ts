import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { crc32 } from '../../server/storage/checksum.ts'
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import {
  DocumentExistsError,
  DocumentNotFoundError,
  StorageCorruptError,
  StorageReadError,
} from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { TokenDoc, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const docDir = (docId: string) => path.join(tempDir(), 'docs', docId)
const openStore = () => FileDocumentStore.open(nodeFileSystem, tempDir(), { now: () => 1_700_000_000_000 })

async function reload(docId: string) {
  const store = await openStore()
  const loaded = await store.load(docId)
  await store.closeAll()
  return loaded
}

describe('FileDocumentStore', () => {
  it('stores a new document with its first update, author and time', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    const initial = author.insert('first')
    await store.create('d1', initial, 'alice')
    await store.closeAll()
    const loaded = await reload('d1')
    expect(loaded).toEqual({
      snapshot: null,
      updates: [{ userId: 'alice', at: 1_700_000_000_000, update: initial }],
      repairs: [],
      clientOwners: new Map(),
    })
  })

  it('reloads every appended update in order', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('0'), 'alice')
    await Promise.all(
      Array.from({ length: 50 }, (_, n) => store.append('d1', author.insert(`${n + 1}`), 'bob')),
    )
    await store.closeAll()
    const loaded = await reload('d1')
    expect(loaded!.updates.map((u) => u.userId)).toEqual(['alice', ...Array(50).fill('bob')])
    expect(TokenDoc.fromLoaded(loaded!).doc.getText('body').toString()).toBe(
      author.doc.getText('body').toString(),
    )
  })

  it('tells a document that does not exist from one that cannot be read', async () => {
    const store = await openStore()
    expect(await store.load('missing')).toBeNull()
    await expect(store.bytesOnDisk('missing')).rejects.toBeInstanceOf(DocumentNotFoundError)
    await mkdir(docDir('empty'), { recursive: true })
    await expect(store.load('empty')).rejects.toBeInstanceOf(StorageCorruptError)
  })

  it('reports an unreadable document with StorageReadError and the OS code', async () => {
    const store = await openStore()
    await store.create('d1', new TokenDoc().insert('a'), 'alice')
    await store.closeAll()
    const disk = await PowerCutDisk.create(tempDir())
    disk.failNext('read', 'EIO')
    const reading = (await FileDocumentStore.open(disk.fileSystem(), tempDir())).load('d1')
    await expect(reading).rejects.toBeInstanceOf(StorageReadError)
    await expect(reading).rejects.toMatchObject({
      code: 'EIO',
      path: path.join(docDir('d1'), 'updates-1.log'),
    })
  })

  it('refuses to create a document twice and ids that could leave the data directory', async () => {
    const store = await openStore()
    await store.create('d1', new TokenDoc().insert('a'), 'alice')
    await expect(store.create('d1', new TokenDoc().insert('b'), 'alice')).rejects.toBeInstanceOf(
      DocumentExistsError,
    )
    await expect(store.create('../escape', new TokenDoc().insert('c'), 'alice')).rejects.toBeInstanceOf(
      RangeError,
    )
    await store.closeAll()
  })

  it('lists the documents it stores, not staging directories', async () => {
    const store = await openStore()
    await store.create('b', new TokenDoc().insert('b'), 'alice')
    await store.create('a', new TokenDoc().insert('a'), 'alice')
    await mkdir(path.join(tempDir(), 'docs', '.creating-c-123'))
    expect(await store.listDocuments()).toEqual(['a', 'b'])
    await store.closeAll()
  })

  it('appends only to a document that was loaded or created', async () => {
    const store = await openStore()
    await expect(store.append('d1', new Uint8Array([0, 0]), 'alice')).rejects.toThrow(/not open/)
  })

  it('compacts to a snapshot close to the size of the state, and keeps appending after it', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('start'), 'alice')
    // Many small edits that cancel out: the log grows, the state stays small.
    for (let n = 0; n < 300; n++) {
      const before = Y.encodeStateVector(author.doc)
      const text = author.doc.getText('body')
      text.insert(0, 'typo ')
      text.delete(0, 5)
      await store.append('d1', Y.encodeStateAsUpdate(author.doc, before), 'alice')
    }
    const grown = await store.bytesOnDisk('d1')
    await store.compact('d1', author.fullState, author.clientOwners)
    const compacted = await store.bytesOnDisk('d1')
    expect(compacted).toBeLessThan(grown / 10)
    expect(compacted).toBeLessThan(author.fullState.byteLength + 64)
    expect((await readdir(docDir('d1'))).sort()).toEqual(['snapshot.bin', 'updates-2.log'])
    await store.append('d1', author.insert('after'), 'alice')
    await store.closeAll()
    const loaded = await reload('d1')
    expect(loaded!.updates).toHaveLength(1)
    expect(TokenDoc.fromLoaded(loaded!).tokens).toEqual(new Set(['start', 'after']))
  })

  it('keeps appends made while a compaction runs', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('0'), 'alice')
    const appends: Promise<void>[] = []
    for (let round = 0; round < 5; round++) {
      for (let n = 0; n < 20; n++) appends.push(store.append('d1', author.insert(`${round}.${n}`), 'alice'))
      appends.push(store.compact('d1', author.fullState, author.clientOwners))
    }
    await Promise.all(appends)
    await store.closeAll()
    expect(TokenDoc.fromLoaded((await reload('d1'))!).tokens).toEqual(author.tokens)
  })

  it('refuses a snapshot with a flipped byte, naming the file, and leaves it as it was', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    await store.compact('d1', author.fullState, author.clientOwners)
    await store.closeAll()
    const file = path.join(docDir('d1'), 'snapshot.bin')
    const bytes = await readFile(file)
    for (const offset of [2, 9, 13, bytes.byteLength - 3]) {
      const damaged = Buffer.from(bytes)
      damaged[offset]! ^= 0x10
      await writeFile(file, damaged)
      const error = await reload('d1').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageCorruptError)
      expect((error as Error).message).toContain(file)
      expect(Buffer.compare(await readFile(file), damaged)).toBe(0)
    }
  })

  it('reports a torn update log and the place its bytes were saved', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    await store.append('d1', author.insert('b'), 'alice')
    await store.closeAll()
    const log = path.join(docDir('d1'), 'updates-1.log')
    const bytes = await readFile(log)
    await writeFile(log, bytes.subarray(0, bytes.byteLength - 3))
    const loaded = await reload('d1')
    expect(loaded!.repairs).toEqual([
      expect.objectContaining({
        path: log,
        reason: 'incomplete record',
        savedTo: expect.stringContaining('.torn-'),
      }),
    ])
    expect(TokenDoc.fromLoaded(loaded!).tokens).toEqual(new Set(['a']))
  })

  it('removes the staging folders of creations a crash interrupted, and nothing else, when it opens', async () => {
    const store = await openStore()
    await store.create('kept', new TokenDoc().insert('kept'), 'alice')
    await store.closeAll()
    const docs = path.join(tempDir(), 'docs')
    const keptBefore = await readFile(path.join(docs, 'kept', 'updates-1.log'))
    await mkdir(path.join(docs, '.creating-lost-abc123'))
    await writeFile(path.join(docs, '.creating-lost-abc123', 'updates-1.log'), new Uint8Array([1, 2, 3]))
    await mkdir(path.join(docs, '.creating-empty-def456'))
    const warnings: unknown[][] = []
    const reopened = await FileDocumentStore.open(nodeFileSystem, tempDir(), {
      logger: { warn: (...args: unknown[]) => void warnings.push(args) },
    })
    expect((await readdir(docs)).sort()).toEqual(['kept'])
    expect(Buffer.compare(await readFile(path.join(docs, 'kept', 'updates-1.log')), keptBefore)).toBe(0)
    expect(warnings).toEqual([
      [
        { removed: ['.creating-empty-def456', '.creating-lost-abc123'] },
        expect.stringContaining('removed 2 staging folder(s)'),
      ],
    ])
    expect(TokenDoc.fromLoaded((await reopened.load('kept'))!).tokens).toEqual(new Set(['kept']))
    await reopened.closeAll()
  })

  it('keeps the owners of Yjs client ids with the snapshot, and none without one', async () => {
    const store = await openStore()
    const author = new TokenDoc(7)
    await store.create('d1', author.insert('a'), 'alice')
    await store.closeAll()
    expect((await reload('d1'))!.clientOwners).toEqual(new Map())
    const reopened = await openStore()
    await reopened.load('d1')
    const owners = new Map([
      [7, 'alice'],
      [0xffffffff, 'bob'],
    ])
    const compacting = reopened.compact('d1', author.fullState, owners)
    // The store keeps the owners as they were when compact was called.
    owners.set(8, 'carol')
    await compacting
    await reopened.append('d1', author.insert('b'), 'alice')
    await reopened.closeAll()
    const loaded = await reload('d1')
    expect(loaded!.clientOwners).toEqual(
      new Map([
        [7, 'alice'],
        [0xffffffff, 'bob'],
      ]),
    )
    expect(TokenDoc.fromLoaded(loaded!).tokens).toEqual(new Set(['a', 'b']))
  })

  it('still loads a snapshot written before snapshots kept client owners, with none', async () => {
    const store = await openStore()
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    await store.compact('d1', author.fullState, new Map([[1, 'alice']]))
    await store.closeAll()
    const file = path.join(docDir('d1'), 'snapshot.bin')
    await writeFile(file, snapshotVersion1(1, author.fullState))
    const loaded = await reload('d1')
    expect(loaded!.clientOwners).toEqual(new Map())
    expect(TokenDoc.fromLoaded(loaded!).tokens).toEqual(new Set(['a']))
  })
})

/** The snapshot format before client owners: version 1, payload = varUint generation, varUint8Array update. */
function snapshotVersion1(generation: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, generation)
  encoding.writeVarUint8Array(encoder, update)
  const payload = encoding.toUint8Array(encoder)
  const header = Buffer.alloc(16)
  header.write('ACSN', 0, 'latin1')
  header.writeUInt32BE(1, 4)
  header.writeUInt32BE(payload.byteLength, 8)
  header.writeUInt32BE(crc32(payload), 12)
  return Buffer.concat([header, payload])
}
