/**
 * Metadata writes are durable when they resolve (SYNC.md §5): a revoked session must not come back after a power
 * cut, and a cut in the middle of a write leaves the old file or the new one, whole.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { StorageWriteError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import {
  MetadataConflictError,
  type MetadataSchema,
  MetadataStore,
  MetadataUnreadableError,
} from '../../server/storage/metadataStore.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { seededRandom, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const file = () => path.join(tempDir(), 'metadata.json')
const session = (id: string) => ({ id, userId: 'u1', createdAt: '2024-01-01', expiresAt: '2099-01-01' })

/** A store holding sessions s1 and s2, written through the power-cut disk and made durable. */
async function storeWithSessions(disk: PowerCutDisk) {
  const store = await MetadataStore.open(tempDir(), disk.fileSystem())
  await store.update((data) => {
    data.sessions.push(session('s1'), session('s2'))
  })
  return store
}

const sessionsOnDisk = async () =>
  (await MetadataStore.open(tempDir(), nodeFileSystem)).data.sessions.map((s) => s.id)

describe('MetadataStore', () => {
  it('a write refused as a conflict, whose storage then cannot be read, changes nothing in memory', async () => {
    const stored: MetadataSchema = {
      version: 1,
      setupCompleted: true,
      users: [],
      sessions: [session('s1')],
      groups: [],
      deliverables: [],
      meetings: [],
    }
    let reads = 0
    const store = await MetadataStore.openWith(
      {
        read: async () => {
          if (reads++ > 0) throw new Error('connection lost')
          return structuredClone(stored)
        },
        write: async () => {
          throw new MetadataConflictError('metadata_rows(collection=sessions, id=s1)')
        },
      },
      'test storage',
    )
    const held = store.data.sessions[0]!
    await expect(
      store.update((data) => {
        data.sessions[0]!.expiresAt = 'now'
        data.sessions.push(session('s2'))
      }),
    ).rejects.toBeInstanceOf(StorageWriteError)
    expect(store.data.sessions.map((s) => s.id)).toEqual(['s1'])
    expect(store.data.sessions[0]).toBe(held)
    expect(held.expiresAt).toBe('2099-01-01')
  })

  it('keeps a revoked session revoked through a power cut right after the write resolved', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const store = await storeWithSessions(disk)
    await store.update((data) => {
      data.sessions = data.sessions.filter((s) => s.id !== 's1')
    })
    await disk.powerCut()
    expect(await sessionsOnDisk()).toEqual(['s2'])
  })

  it('is caught by the power-cut check when fsync is skipped (the check can see a missing fsync)', async () => {
    const disk = await PowerCutDisk.create(tempDir(), { skipFileSync: true })
    await storeWithSessions(disk)
    await disk.powerCut()
    // The rename survived (the folder was fsync'd), the bytes did not: an empty, unreadable file.
    expect((await MetadataStore.open(tempDir(), nodeFileSystem)).unreadable).toContain(file())
  })

  it('leaves the old file or the new one, whole, when the power goes at any step of a write', async () => {
    let completed = false
    for (let step = 1; !completed; step++) {
      for (const variant of [0, 1, 2]) {
        const seed = await MetadataStore.open(tempDir(), nodeFileSystem)
        await seed.update((data) => {
          data.sessions = [session('s1'), session('s2')]
        })
        const disk = await PowerCutDisk.create(tempDir())
        const store = await MetadataStore.open(tempDir(), disk.fileSystem())
        disk.cutAfter(step)
        const revoked = await store
          .update((data) => {
            data.sessions = data.sessions.filter((s) => s.id !== 's1')
          })
          .then(
            () => true,
            () => false,
          )
        completed = !disk.isCut
        await disk.powerCut(variant === 0 ? {} : { random: seededRandom(step * 10 + variant) })
        const reopened = await MetadataStore.open(tempDir(), nodeFileSystem)
        expect(reopened.unreadable, `cut at step ${step}`).toBeNull()
        const ids = reopened.data.sessions.map((s) => s.id)
        expect([['s1', 's2'], ['s2']], `cut at step ${step}`).toContainEqual(ids)
        if (revoked) expect(ids, `cut at step ${step}, after the write resolved`).toEqual(['s2'])
      }
    }
  })

  it('rejects a write whose fsync fails, keeps memory as the file is, and leaves the file as it was', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const store = await storeWithSessions(disk)
    const before = await readFile(file())
    disk.failNext('fsync', 'EIO')
    const failed = store.update((data) => {
      data.sessions = []
    })
    await expect(failed).rejects.toBeInstanceOf(StorageWriteError)
    await expect(failed).rejects.toMatchObject({ code: 'EIO' })
    expect(store.data.sessions.map((s) => s.id)).toEqual(['s1', 's2'])
    expect(Buffer.compare(await readFile(file()), before)).toBe(0)
    expect(await readdir(tempDir())).toEqual(['metadata.json'])
  })

  it('never writes over a file it could not read', async () => {
    await writeFile(file(), '{"version": 1, "users": ')
    const store = await MetadataStore.open(tempDir())
    expect(store.unreadable).toContain(file())
    await expect(store.update(() => undefined)).rejects.toBeInstanceOf(MetadataUnreadableError)
    expect(await readFile(file(), 'utf8')).toBe('{"version": 1, "users": ')
  })

  it('names the file and the OS code when it is not a file', async () => {
    await mkdir(file())
    const store = await MetadataStore.open(tempDir())
    expect(store.unreadable).toMatch(/metadata\.json \(EISDIR\)/)
  })

  it('reads again what another process wrote, keeping the objects a use case already holds (cluster nodes)', async () => {
    const here = await MetadataStore.open(tempDir(), nodeFileSystem)
    await here.update((data) => {
      data.sessions.push(session('s1'))
    })
    const other = await MetadataStore.open(tempDir(), nodeFileSystem)
    // A use case on this node has looked the session up and will change it inside its next update.
    const held = here.data.sessions[0]!
    await other.update((data) => {
      data.sessions.push(session('s2'))
      data.sessions[0]!.expiresAt = '2098-01-01'
    })
    await here.reload()
    expect(here.data.sessions.map((s) => s.id)).toEqual(['s1', 's2'])
    expect(here.data.sessions[0]).toBe(held)
    expect(held.expiresAt).toBe('2098-01-01')
    await here.update(() => {
      held.expiresAt = '2097-01-01'
    })
    const reread = await MetadataStore.open(tempDir(), nodeFileSystem)
    expect(reread.data.sessions.map((s) => [s.id, s.expiresAt])).toEqual([
      ['s1', '2097-01-01'],
      ['s2', '2099-01-01'],
    ])
  })
})
