/**
 * Acknowledged means durable, for versions too: once `write` resolves, a power cut that drops every byte and
 * directory entry not yet fsync'd still leaves the version whole, and a disk that skips either fsync is caught.
 */
import { describe, expect, it } from 'vitest'
import type { FileSystem } from '../../server/storage/fileSystem.ts'
import type { StoredVersion } from '../../server/versions/versionFile.ts'
import { VersionStore } from '../../server/versions/versionStore.ts'
import { clauseRecords } from '../../shared/versions/clauseRecord.ts'
import { tempDirPerTest } from '../storage/storageKit.ts'
import { clause, deliverable, p } from '../support/builders.ts'
import { type DiskOptions, PowerCutDisk } from '../support/powerCutFileSystem.ts'

const tempDir = tempDirPerTest()
const DELIVERABLE = 'd1'

function version(id: string, seq: number): StoredVersion {
  const built = deliverable(clause({ id: 'scope' }, 'Scope', p(`Text of version ${seq}.`)))
  return {
    id,
    name: `Version ${seq}`,
    createdAt: new Date(Date.UTC(2026, 11, 3, 12, seq)).toISOString(),
    createdBy: 'u1',
    origin: 'saved',
    seq,
    clauses: clauseRecords(built.body()),
    update: built.update(),
  }
}

/** Writes two versions, cuts the power, and answers what a store on the rebooted disk reads. */
async function writeThenCut(options: DiskOptions = {}) {
  const disk = await PowerCutDisk.create(tempDir(), options)
  const before = new VersionStore(disk.fileSystem(), disk.root)
  const written = [version('v1', 1), version('v2', 2)]
  for (const v of written) await before.write(DELIVERABLE, v)
  await disk.powerCut()
  const after = new VersionStore(disk.fileSystem() as FileSystem, disk.root)
  const read = await Promise.all(written.map((v) => after.read(DELIVERABLE, v.id).catch((e: Error) => e)))
  return { written, read, listing: await after.list(DELIVERABLE).catch((e: Error) => e) }
}

describe('versions through a power cut', () => {
  it('every acknowledged version reads back whole, and the list is newest first', async () => {
    const { written, read, listing } = await writeThenCut()
    expect(read).toEqual(written)
    expect(listing).toMatchObject({ versions: [{ id: 'v2' }, { id: 'v1' }], unreadable: [] })
  })

  it('a store that skipped the file fsync is caught', async () => {
    const { written, read } = await writeThenCut({ skipFileSync: true })
    expect(read).not.toEqual(written)
  })

  it('a store that skipped the directory fsync is caught', async () => {
    const { written, read } = await writeThenCut({ skipDirectorySync: true })
    expect(read).not.toEqual(written)
  })

  it('a version is never overwritten: writing the same id again is refused and the first stays', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const store = new VersionStore(disk.fileSystem(), disk.root)
    await store.write(DELIVERABLE, version('v1', 1))
    await expect(store.write(DELIVERABLE, { ...version('v1', 2), name: 'Impostor' })).rejects.toThrow(
      /already exists/,
    )
    expect((await store.read(DELIVERABLE, 'v1'))?.name).toBe('Version 1')
  })
})
