import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const bytes = (s: string) => new TextEncoder().encode(s)
const text = async (file: string) => (await readFile(file)).toString()

async function diskWithFile(content: string, { syncFile = true, syncDirectory = true } = {}) {
  const disk = await PowerCutDisk.create(tempDir())
  const fs = disk.fileSystem()
  const file = path.join(tempDir(), 'file')
  const handle = await fs.openAppend(file)
  await handle.write(bytes(content))
  if (syncFile) await handle.sync()
  if (syncDirectory) await fs.syncDirectory(tempDir())
  return { disk, fs, file, handle }
}

describe('PowerCutDisk', () => {
  it('keeps fsynced bytes and drops the rest', async () => {
    const { disk, file, handle } = await diskWithFile('durable ')
    await handle.write(bytes('volatile'))
    expect(await text(file)).toBe('durable volatile')
    await disk.powerCut()
    expect(await text(file)).toBe('durable ')
  })

  it('loses a new file whose directory was not fsynced, even when the file was', async () => {
    const { disk } = await diskWithFile('data', { syncDirectory: false })
    await disk.powerCut()
    expect(await readdir(tempDir())).toEqual([])
  })

  it('reverts a rename until the directory is fsynced', async () => {
    const { disk, fs, file, handle } = await diskWithFile('data')
    await handle.close()
    await fs.rename(file, `${file}.renamed`)
    await disk.powerCut()
    expect(await readdir(tempDir())).toEqual(['file'])
    const after = disk.fileSystem()
    await after.rename(file, `${file}.renamed`)
    await after.syncDirectory(tempDir())
    await disk.powerCut()
    expect(await readdir(tempDir())).toEqual(['file.renamed'])
  })

  it('keeps at most the unsynced bytes in order when writeback is partial', async () => {
    const { disk, file, handle } = await diskWithFile('durable ')
    await handle.write(bytes('0123456789'))
    await disk.powerCut({ random: () => 0.5 })
    expect(await text(file)).toBe('durable 01234')
  })

  it('fails every operation of a file system handed out before the cut', async () => {
    const { disk, fs, file, handle } = await diskWithFile('data')
    await disk.powerCut()
    await expect(fs.readFile(file)).rejects.toMatchObject({ code: 'EIO' })
    await expect(handle.write(bytes('late'))).rejects.toMatchObject({ code: 'EIO' })
    expect(await text(file)).toBe('data')
  })

  it('cuts the power as the n-th operation from now starts', async () => {
    const { disk, handle } = await diskWithFile('data')
    disk.cutAfter(2)
    await handle.write(bytes('x'))
    await expect(handle.sync()).rejects.toMatchObject({ code: 'EIO' })
    expect(disk.isCut).toBe(true)
  })

  it('injects a fault with the given code, as many times as asked', async () => {
    const { disk, handle } = await diskWithFile('data')
    disk.failNext('fsync', 'ENOSPC', 2)
    await expect(handle.sync()).rejects.toMatchObject({ code: 'ENOSPC' })
    await expect(handle.sync()).rejects.toMatchObject({ code: 'ENOSPC' })
    await handle.sync()
    expect(disk.count('fsync')).toBe(4)
  })
})
