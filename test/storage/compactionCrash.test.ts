import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import { StorageWriteError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { type DiskOperation, PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { seededRandom, TokenDoc, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const ignore = () => undefined

/** A document with some acknowledged updates, on a fresh disk. */
async function documentWithHistory(root: string) {
  await mkdir(root, { recursive: true })
  const disk = await PowerCutDisk.create(root)
  const store = await FileDocumentStore.open(disk.fileSystem(), root)
  const author = new TokenDoc(1)
  const acknowledged: string[] = []
  const write = async (token: string) => {
    await store.append('doc', author.insert(token), 'alice')
    acknowledged.push(token)
  }
  await store.create('doc', author.insert('created'), 'alice')
  acknowledged.push('created')
  for (let n = 0; n < 5; n++) await write(`before-${n}`)
  /** Starts a compaction with appends racing it; settles when all of them have. */
  const compactWhileAppending = async (label: string) => {
    const work = [store.compact('doc', author.fullState, author.clientOwners).catch(ignore)]
    for (let n = 0; n < 3; n++) {
      const token = `${label}-${n}`
      work.push(
        store.append('doc', author.insert(token), 'alice').then(() => void acknowledged.push(token), ignore),
      )
    }
    await Promise.all(work)
  }
  return { disk, store, author, acknowledged, write, compactWhileAppending }
}

async function loadTokens(root: string) {
  const store = await FileDocumentStore.open(nodeFileSystem, root)
  const loaded = await store.load('doc')
  await store.closeAll()
  const doc = TokenDoc.fromLoaded(loaded!)
  expect(doc.hasMissingDependencies).toBe(false)
  return doc.tokens
}

describe('compaction', () => {
  it('loads every acknowledged update after a power cut at any operation of a compaction', async () => {
    let covered = false
    for (let step = 1; !covered; step++) {
      // Worst case first (nothing unsynced survives), then random mixes of what writeback may have done.
      for (let variant = 0; variant < 16; variant++) {
        const root = path.join(tempDir(), `step-${step}-${variant}`)
        const { disk, acknowledged, compactWhileAppending } = await documentWithHistory(root)
        disk.cutAfter(step)
        await compactWhileAppending('during')
        covered = !disk.isCut
        await disk.powerCut(variant === 0 ? {} : { random: seededRandom(step * 100 + variant) })
        const tokens = await loadTokens(root)
        for (const token of acknowledged) expect(tokens, `cut at operation ${step}`).toContain(token)
      }
    }
  })

  it('fails as a whole when any of its operations fails, and a later compaction cleans up', async () => {
    let covered = false
    for (let step = 1; !covered; step++) {
      const root = path.join(tempDir(), `step-${step}`)
      const { disk, store, author, acknowledged, write, compactWhileAppending } =
        await documentWithHistory(root)
      let seen = 0
      disk.failWhen(() => (++seen === step ? 'EIO' : undefined))
      await compactWhileAppending('during')
      covered = seen < step
      disk.failWhen(undefined)
      await write('after the fault')
      await store.compact('doc', author.fullState, author.clientOwners)
      await write('after a good compaction')
      await store.closeAll()
      await disk.powerCut()
      // Appends rejected during the fault may be there too: the store writes them again with later ones.
      const tokens = await loadTokens(root)
      for (const token of acknowledged) expect(tokens, `fault at operation ${step}`).toContain(token)
      expect([...tokens].filter((token) => !author.tokens.has(token))).toEqual([])
      expect((await disk.fileSystem().readdir(path.join(root, 'docs', 'doc'))).sort()).toEqual([
        'snapshot.bin',
        expect.stringMatching(/^updates-\d+\.log$/),
      ])
    }
  })

  it.each<DiskOperation>(['rename', 'fsyncDirectory'])(
    'is rejected with StorageWriteError when %s fails, losing nothing',
    async (operation) => {
      const root = tempDir()
      const { disk, store, author, acknowledged, write } = await documentWithHistory(root)
      // The last operation of that kind in a compaction: the snapshot's rename, or the fsync that makes it durable.
      const failOn = operation === 'rename' ? 1 : 2
      let seen = 0
      disk.failWhen((op) => (op === operation && ++seen === failOn ? 'EIO' : undefined))
      const failed = store.compact('doc', author.fullState, author.clientOwners)
      await expect(failed).rejects.toBeInstanceOf(StorageWriteError)
      await expect(failed).rejects.toMatchObject({ code: 'EIO' })
      await write('after')
      await store.closeAll()
      await disk.powerCut()
      const tokens = await loadTokens(root)
      for (const token of acknowledged) expect(tokens).toContain(token)
    },
  )
})
