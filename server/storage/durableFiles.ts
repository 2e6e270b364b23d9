/**
 * File operations that are durable when they resolve. A new name survives a power cut only once its directory
 * has been fsync'd, and a file's bytes only once the file has; each helper here does both, in the order that
 * never exposes a name whose bytes are missing.
 */
import { basename, dirname } from 'node:path'
import { writeError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'

/** mkdir -p whose new directories are durable: each new entry's parent is fsync'd. */
export async function ensureDirectory(fs: FileSystem, dir: string): Promise<void> {
  try {
    const existing = await fs.stat(dir)
    if (existing?.isDirectory) return
    const parent = dirname(dir)
    if (parent !== dir) await ensureDirectory(fs, parent)
    await fs.mkdir(dir)
    await fs.syncDirectory(parent)
  } catch (error) {
    throw writeError(dir, error)
  }
}

/** Writes and fsyncs a file at a name that is new or may be replaced; does not sync the directory. */
async function writeAndSync(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.openAppend(path)
  try {
    // A leftover of an earlier crash may be there already; start from nothing.
    await handle.truncate(0)
    await handle.write(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Replaces `path` with `bytes` so that a crash leaves either the old or the new file whole: write a temporary
 * file, fsync it, rename it over the old one, fsync the directory.
 */
export async function writeFileAtomically(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`
  try {
    await writeAndSync(fs, temporary, bytes)
    await fs.rename(temporary, path)
    await fs.syncDirectory(dirname(path))
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined)
    throw writeError(path, error)
  }
}

/**
 * Saves bytes about to be dropped under `<path>.<label>-<time>` (durably) and returns that name: a repair never
 * destroys the only copy of anything, so what was cut can still be examined. `torn` names the cut tail of a log
 * opened by the server; `damaged` the whole file, copied by the repair command before it cuts.
 */
export async function saveAside(
  fs: FileSystem,
  path: string,
  bytes: Uint8Array,
  now: number,
  label: 'torn' | 'damaged' = 'torn',
): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-')
  let target = `${path}.${label}-${stamp}`
  try {
    const taken = new Set(await fs.readdir(dirname(path)))
    for (let n = 1; taken.has(basename(target)); n++) target = `${path}.${label}-${stamp}-${n}`
    await writeAndSync(fs, target, bytes)
    await fs.syncDirectory(dirname(path))
  } catch (error) {
    throw writeError(target, error)
  }
  return target
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
