/**
 * Torn tail versus damage (SYNC.md §5) through each kind of log the server opens: a document's update log and a
 * deliverable's decisions.log. Damage, in the middle or in the last record, refuses the log and changes nothing;
 * an incomplete last record is cut, saved aside, and everything before it loads.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DecisionLog } from '../../server/storage/decisionLog.ts'
import { FileDocumentStore, type LogRepair } from '../../server/storage/documentStore.ts'
import { StorageCorruptError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { scanRecords } from '../../server/storage/recordFormat.ts'
import { TokenDoc, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const RECORDS = 6

interface LogKind {
  name: string
  file: (root: string) => string
  /** Writes RECORDS records, item n holding `item-n`. */
  write: (root: string) => Promise<void>
  /** The items that load, or the error. */
  read: (root: string) => Promise<{ items: string[]; repairs: LogRepair[] }>
}

const updateLog: LogKind = {
  name: 'a document update log',
  file: (root) => path.join(root, 'docs', 'd1', 'updates-1.log'),
  async write(root) {
    const store = await FileDocumentStore.open(nodeFileSystem, root)
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('item-0'), 'alice')
    for (let n = 1; n < RECORDS; n++) await store.append('d1', author.insert(`item-${n}`), 'alice')
    await store.closeAll()
  },
  async read(root) {
    const store = await FileDocumentStore.open(nodeFileSystem, root)
    try {
      const loaded = (await store.load('d1'))!
      const items = [...TokenDoc.fromLoaded(loaded).tokens].sort()
      return { items, repairs: loaded.repairs }
    } finally {
      await store.closeAll()
    }
  },
}

const decisionLog: LogKind = {
  name: 'a decisions.log',
  file: (root) => path.join(root, 'docs', 'd1', 'decisions.log'),
  async write(root) {
    const store = await FileDocumentStore.open(nodeFileSystem, root)
    await store.create('d1', new TokenDoc().insert('text'), 'alice')
    await store.closeAll()
    const { log } = await DecisionLog.open<{ item: string }>(nodeFileSystem, root, 'd1')
    for (let n = 0; n < RECORDS; n++) await log.append({ item: `item-${n}` })
    await log.close()
  },
  async read(root) {
    const { log, events, repair } = await DecisionLog.open<{ item: string }>(nodeFileSystem, root, 'd1')
    await log.close()
    return { items: events.map((e) => e.item), repairs: repair ? [repair] : [] }
  },
}

const items = (count: number) => Array.from({ length: count }, (_, n) => `item-${n}`)

describe.each([updateLog, decisionLog])('$name', (kind) => {
  async function written() {
    await kind.write(tempDir())
    const file = kind.file(tempDir())
    const bytes = await readFile(file)
    const { offsets } = scanRecords(bytes)
    expect(offsets).toHaveLength(RECORDS)
    return { file, bytes, offsets }
  }

  async function expectRefused(file: string, damaged: Buffer, offset: number) {
    const folder = await readdir(path.dirname(file))
    const error = await kind.read(tempDir()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageCorruptError)
    expect(error).toMatchObject({ path: file, offset })
    expect((error as Error).message).toContain(`${file} at byte ${offset}`)
    expect((error as Error).message).toContain('npm run repair')
    // Nothing truncated, nothing saved aside: the file is the evidence.
    expect(Buffer.compare(await readFile(file), damaged)).toBe(0)
    expect(await readdir(path.dirname(file))).toEqual(folder)
  }

  it('refuses a flipped bit in the last record, naming file and offset, and changes nothing', async () => {
    const { file, bytes, offsets } = await written()
    const damaged = Buffer.from(bytes)
    damaged[damaged.byteLength - 3]! ^= 0x08
    await writeFile(file, damaged)
    await expectRefused(file, damaged, offsets.at(-1)!)
  })

  it('refuses a flipped bit in a middle record, naming file and offset, and changes nothing', async () => {
    const { file, bytes, offsets } = await written()
    const damaged = Buffer.from(bytes)
    damaged[offsets[3]! + 9]! ^= 0x01
    await writeFile(file, damaged)
    await expectRefused(file, damaged, offsets[3]!)
  })

  it('cuts a zero-filled tail, saves it aside, and loads every record before it', async () => {
    const { file, bytes } = await written()
    await writeFile(file, Buffer.concat([bytes, new Uint8Array(4096)]))
    const { items: loaded, repairs } = await kind.read(tempDir())
    expect(loaded).toEqual(items(RECORDS))
    expect(repairs).toEqual([
      expect.objectContaining({ path: file, offset: bytes.byteLength, droppedBytes: 4096 }),
    ])
    expect(await readFile(repairs[0]!.savedTo)).toEqual(Buffer.alloc(4096))
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0)
  })

  it('cuts a last record whose length runs past the end, saves it aside, and loads the rest', async () => {
    const { file, bytes, offsets } = await written()
    const torn = bytes.subarray(0, bytes.byteLength - 4)
    await writeFile(file, torn)
    const { items: loaded, repairs } = await kind.read(tempDir())
    expect(loaded).toEqual(items(RECORDS - 1))
    expect(repairs).toEqual([
      expect.objectContaining({ path: file, offset: offsets.at(-1), reason: 'incomplete record' }),
    ])
    expect(Buffer.compare(await readFile(repairs[0]!.savedTo), torn.subarray(offsets.at(-1)))).toBe(0)
    expect(Buffer.compare(await readFile(file), bytes.subarray(0, offsets.at(-1)))).toBe(0)
  })
})
