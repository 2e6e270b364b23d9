/**
 * The operator's repair command (server/tools/repairLog.ts, `npm run repair`) end to end: spawned with tsx on a
 * data directory on disk, as an operator runs it with the server stopped.
 */
import { execFile } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DecisionLog } from '../../server/storage/decisionLog.ts'
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import { StorageCorruptError } from '../../server/storage/errors.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { scanRecords } from '../../server/storage/recordFormat.ts'
import { TokenDoc, tempDirPerTest } from './storageKit.ts'

const tempDir = tempDirPerTest()
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const docDir = () => path.join(tempDir(), 'docs', 'd1')

function repair(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const command = ['--import', 'tsx', 'server/tools/repairLog.ts', ...args]
  return new Promise((resolve) => {
    execFile(process.execPath, command, { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr })
    })
  })
}

/** A document with `count` updates `item-0`.. and `count` decision events, as the server leaves them. */
async function documentWith(count: number) {
  const store = await FileDocumentStore.open(nodeFileSystem, tempDir())
  const author = new TokenDoc(1)
  await store.create('d1', author.insert('item-0'), 'alice')
  for (let n = 1; n < count; n++) await store.append('d1', author.insert(`item-${n}`), 'alice')
  await store.closeAll()
  const { log } = await DecisionLog.open<{ item: string }>(nodeFileSystem, tempDir(), 'd1')
  for (let n = 0; n < count; n++) await log.append({ item: `item-${n}` })
  await log.close()
}

/** Flips a bit in record `index` of `file`; returns the damaged bytes and that record's offset. */
async function damage(file: string, index: number) {
  const bytes = Buffer.from(await readFile(file))
  const offset = scanRecords(bytes).offsets[index]!
  bytes[offset + 10]! ^= 0x04
  await writeFile(file, bytes)
  return { bytes, offset }
}

async function loadTokens() {
  const store = await FileDocumentStore.open(nodeFileSystem, tempDir())
  try {
    return [...TokenDoc.fromLoaded((await store.load('d1'))!).tokens].sort()
  } finally {
    await store.closeAll()
  }
}

const items = (count: number) => Array.from({ length: count }, (_, n) => `item-${n}`)
const args = (...more: string[]) => ['--data-dir', tempDir(), '--document', 'd1', ...more]

describe('npm run repair', () => {
  it('cuts a damaged update log at its first damaged record, after saving the whole file aside', async () => {
    await documentWith(8)
    const file = path.join(docDir(), 'updates-1.log')
    const { bytes, offset } = await damage(file, 5)
    await expect(loadTokens()).rejects.toBeInstanceOf(StorageCorruptError)

    const refused = await repair(...args())
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain('without --yes')
    const dryRun = await repair(...args('--dry-run'))
    expect(dryRun.status, dryRun.stderr).toBe(0)
    expect(dryRun.stdout).toContain(`damaged record at byte ${offset}: checksum mismatch`)
    expect(dryRun.stdout).toContain(`keep: 5 records, bytes 0 to ${offset}`)
    expect(dryRun.stdout).toContain('including 2 records whose checksums match')
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0)
    expect(await readdir(docDir())).toHaveLength(2)

    const repaired = await repair(...args('--yes'))
    expect(repaired.status, repaired.stderr).toBe(0)
    expect(repaired.stdout).toContain(`cut to ${offset} bytes (5 records)`)
    const saved = (await readdir(docDir())).find((name) => name.startsWith('updates-1.log.damaged-'))
    expect(repaired.stdout).toContain(
      `saved a copy of all ${bytes.byteLength} bytes to ${path.join(docDir(), saved!)}`,
    )
    expect(Buffer.compare(await readFile(path.join(docDir(), saved!)), bytes)).toBe(0)
    expect(Buffer.compare(await readFile(file), bytes.subarray(0, offset))).toBe(0)
    expect(await loadTokens()).toEqual(items(5))

    const again = await repair(...args('--yes'))
    expect(again.status).toBe(1)
    expect(again.stderr).toContain('Nothing to repair')
  })

  it('repairs a decision log whose last record is damaged, with --decisions', async () => {
    await documentWith(4)
    const file = path.join(docDir(), 'decisions.log')
    const { bytes, offset } = await damage(file, 3)
    await expect(DecisionLog.open(nodeFileSystem, tempDir(), 'd1')).rejects.toMatchObject({
      path: file,
      offset,
    })
    const repaired = await repair(...args('--decisions', '--yes'))
    expect(repaired.status, repaired.stderr).toBe(0)
    expect(repaired.stdout).toContain('in which no later record has a matching checksum')
    const saved = (await readdir(docDir())).find((name) => name.startsWith('decisions.log.damaged-'))
    expect(Buffer.compare(await readFile(path.join(docDir(), saved!)), bytes)).toBe(0)
    const {
      log,
      events,
      repair: torn,
    } = await DecisionLog.open<{ item: string }>(nodeFileSystem, tempDir(), 'd1')
    await log.close()
    expect(torn).toBeUndefined()
    expect(events.map((e) => e.item)).toEqual(items(3))
    // The update logs were not damaged, and were not touched.
    expect(await loadTokens()).toEqual(items(4))
  })

  it('says there is nothing to repair in a torn tail, which the server cuts by itself', async () => {
    await documentWith(3)
    const file = path.join(docDir(), 'updates-1.log')
    const bytes = await readFile(file)
    await writeFile(file, bytes.subarray(0, bytes.byteLength - 3))
    const result = await repair(...args('--yes'))
    expect(result.status).toBe(1)
    expect(result.stdout).toMatch(/torn tail at byte \d+ \(\d+ bytes, incomplete record\)/)
    expect(result.stderr).toContain('Nothing to repair')
    expect((await readFile(file)).byteLength).toBe(bytes.byteLength - 3)
  })

  it('refuses a wrong data directory or document, changing nothing', async () => {
    await documentWith(2)
    const wrongDir = await repair('--data-dir', path.join(tempDir(), 'nowhere'), '--document', 'd1', '--yes')
    expect(wrongDir.status).toBe(1)
    expect(wrongDir.stderr).toContain('is not an Accord data directory')
    const wrongDoc = await repair('--data-dir', tempDir(), '--document', 'd2', '--yes')
    expect(wrongDoc.status).toBe(1)
    expect(wrongDoc.stderr).toContain('There is no document d2')
    const missing = await repair('--document', 'd1', '--yes')
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('--data-dir and --document are required')
  })
})
