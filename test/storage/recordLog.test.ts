import { readdir, readFile, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { StorageCorruptError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { encodeRecord } from '../../server/storage/recordFormat.ts'
import { RecordLog } from '../../server/storage/recordLog.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { seededRandom, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const payload = (n: number) => encoder.encode(`record ${n} ${'x'.repeat(n % 97)}`)
const texts = (records: Uint8Array[]) => records.map((r) => decoder.decode(r))

async function logWith(count: number): Promise<string> {
  const file = path.join(tempDir(), 'test.log')
  const { log } = await RecordLog.open(nodeFileSystem, file)
  for (let n = 0; n < count; n++) await log.append(payload(n))
  await log.close()
  return file
}

describe('RecordLog', () => {
  it('reads back thousands of records in the order they were appended', async () => {
    const file = path.join(tempDir(), 'test.log')
    const random = seededRandom(7)
    const written = Array.from({ length: 3000 }, (_, n) => {
      const bytes = new Uint8Array(Math.floor(random() * 300))
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256)
      return n % 500 === 0 ? new Uint8Array(0) : bytes
    })
    const { log, records: before } = await RecordLog.open(nodeFileSystem, file)
    expect(before).toEqual([])
    await Promise.all(written.map((bytes) => log.append(bytes)))
    await log.close()
    const reopened = await RecordLog.open(nodeFileSystem, file)
    expect(reopened.repair).toBeUndefined()
    expect(reopened.records.map((r) => Array.from(r))).toEqual(written.map((r) => Array.from(r)))
    expect(reopened.log.size).toBe(written.reduce((sum, r) => sum + r.byteLength + 8, 0))
    await reopened.log.close()
  })

  it('commits 1,000 concurrent appends with far fewer fsyncs than appends', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const { log } = await RecordLog.open(disk.fileSystem(), path.join(tempDir(), 'test.log'))
    const before = disk.count('fsync')
    await Promise.all(Array.from({ length: 1000 }, (_, n) => log.append(payload(n))))
    expect(disk.count('fsync') - before).toBeLessThan(100)
    await log.close()
  })

  it('groups appends that arrive while an fsync is in flight into the next batch', async () => {
    const disk = await PowerCutDisk.create(tempDir())
    const { log } = await RecordLog.open(disk.fileSystem(), path.join(tempDir(), 'test.log'))
    const before = disk.count('fsync')
    const first = log.append(payload(0))
    await Promise.resolve()
    await Promise.resolve()
    const rest = Array.from({ length: 200 }, (_, n) => log.append(payload(n + 1)))
    await Promise.all([first, ...rest])
    expect(disk.count('fsync') - before).toBeLessThanOrEqual(3)
    await log.close()
  })

  it('cuts a record torn mid-write, saves the dropped bytes aside, and keeps appending after it', async () => {
    const file = await logWith(20)
    const full = await readFile(file)
    await truncate(file, full.byteLength - 5)
    const { log, records, repair } = await RecordLog.open(nodeFileSystem, file, { now: () => 0 })
    expect(texts(records)).toEqual(Array.from({ length: 19 }, (_, n) => decoder.decode(payload(n))))
    const lastRecordStart = full.byteLength - encodeRecord(payload(19)).byteLength
    expect(repair).toMatchObject({ offset: lastRecordStart, reason: 'incomplete record' })
    expect(repair?.droppedBytes).toBe(full.byteLength - 5 - lastRecordStart)
    expect(repair?.savedTo).toBe(`${file}.torn-1970-01-01T00-00-00-000Z`)
    const saved = await readFile(repair!.savedTo)
    expect(Buffer.compare(saved, full.subarray(lastRecordStart, full.byteLength - 5))).toBe(0)
    await log.append(encoder.encode('after the repair'))
    await log.close()
    const reopened = await RecordLog.open(nodeFileSystem, file)
    expect(reopened.repair).toBeUndefined()
    expect(texts(reopened.records).slice(18)).toEqual([decoder.decode(payload(18)), 'after the repair'])
    await reopened.log.close()
  })

  it('refuses a last record whose checksum fails: it is complete, so it was damaged, not torn', async () => {
    const file = await logWith(10)
    const bytes = await readFile(file)
    bytes[bytes.byteLength - 2]! ^= 0x40
    await writeFile(file, bytes)
    const lastRecordStart = bytes.byteLength - encodeRecord(payload(9)).byteLength
    const error = await RecordLog.open(nodeFileSystem, file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageCorruptError)
    expect(error).toMatchObject({ path: file, offset: lastRecordStart, reason: 'checksum mismatch' })
    expect((error as Error).message).toContain('npm run repair')
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0)
    expect(await readdir(tempDir())).toEqual(['test.log'])
  })

  it('refuses a last record whose length prefix was damaged to run past the end of the file', async () => {
    const file = await logWith(10)
    const bytes = await readFile(file)
    const lastRecordStart = bytes.byteLength - encodeRecord(payload(9)).byteLength
    bytes[lastRecordStart + 2]! ^= 0x01
    await writeFile(file, bytes)
    const error = await RecordLog.open(nodeFileSystem, file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageCorruptError)
    expect(error).toMatchObject({ offset: lastRecordStart, reason: expect.stringMatching(/length prefix/) })
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0)
  })

  it('cuts a tail of zeros, as a crash can leave, rather than reading empty records or refusing it', async () => {
    const file = await logWith(3)
    const size = (await readFile(file)).byteLength
    await writeFile(file, new Uint8Array(4096), { flag: 'a' })
    const { records, repair, log } = await RecordLog.open(nodeFileSystem, file)
    expect(records).toHaveLength(3)
    expect(repair).toMatchObject({
      offset: size,
      droppedBytes: 4096,
      reason: 'zero-filled tail of 4096 bytes',
    })
    await log.close()
  })

  it('cuts a header cut short after the last record', async () => {
    const file = await logWith(3)
    const size = (await readFile(file)).byteLength
    await writeFile(file, encodeRecord(payload(3)).subarray(0, 5), { flag: 'a' })
    const { records, repair, log } = await RecordLog.open(nodeFileSystem, file)
    expect(records).toHaveLength(3)
    expect(repair).toMatchObject({ offset: size, droppedBytes: 5, reason: 'incomplete record header' })
    await log.close()
  })

  it('refuses damage followed by valid records, naming file and offset, and leaves the file as it was', async () => {
    const file = await logWith(10)
    const bytes = await readFile(file)
    const fourthRecord = [0, 1, 2].reduce((offset, n) => offset + encodeRecord(payload(n)).byteLength, 0)
    bytes[fourthRecord + 10]! ^= 0x01
    await writeFile(file, bytes)
    const error = await RecordLog.open(nodeFileSystem, file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageCorruptError)
    expect(error).toMatchObject({ path: file, offset: fourthRecord })
    expect((error as Error).message).toContain(`${file} at byte ${fourthRecord}`)
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0)
    expect(await readdir(tempDir())).toEqual(['test.log'])
  })

  it('treats a length prefix above the maximum as damage', async () => {
    const file = await logWith(4)
    const bytes = await readFile(file)
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, 0x7fffffff)
    await writeFile(file, bytes)
    const error = await RecordLog.open(nodeFileSystem, file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageCorruptError)
    expect((error as StorageCorruptError).reason).toMatch(/length prefix 2147483647 exceeds/)
  })

  it('reads durable records back from the file', async () => {
    const file = await logWith(5)
    const { log } = await RecordLog.open(nodeFileSystem, file)
    await log.append(payload(5))
    expect(texts((await log.readRecords()).records)).toHaveLength(6)
    await log.close()
  })
})
