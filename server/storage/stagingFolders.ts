/**
 * A document is created in a staging folder `docs/.creating-<docId>-<random>` and renamed into place whole
 * (documentStore.ts). A crash before the rename leaves the folder behind; its document was never acknowledged,
 * so the folders found when the store opens are removed.
 */
import { join } from 'node:path'
import { newId } from '../../shared/domain/ids.ts'
import type { Logger } from '../logger.ts'
import { isNotFound } from './durableFiles.ts'
import { readError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'

const STAGING_PREFIX = '.creating-'

export function stagingFolderName(docId: string): string {
  return `${STAGING_PREFIX}${docId}-${newId(8)}`
}

async function removeTree(fs: FileSystem, path: string): Promise<void> {
  for (const name of await fs.readdir(path)) {
    const child = join(path, name)
    if ((await fs.stat(child))?.isDirectory) await removeTree(fs, child)
    else await fs.unlink(child).catch((error) => (isNotFound(error) ? undefined : Promise.reject(error)))
  }
  await fs.rmdir(path)
}

/**
 * Removes every staging folder in `docsDir` and returns their names. One that cannot be removed is logged, not
 * thrown: a leftover of an interrupted creation must not keep the server from starting.
 */
export async function removeStagingFolders(
  fs: FileSystem,
  docsDir: string,
  logger?: Pick<Logger, 'warn'>,
): Promise<string[]> {
  const names = await fs.readdir(docsDir).catch((error) => Promise.reject(readError(docsDir, error)))
  const removed: string[] = []
  for (const name of names.filter((n) => n.startsWith(STAGING_PREFIX)).sort()) {
    try {
      await removeTree(fs, join(docsDir, name))
      removed.push(name)
    } catch (error) {
      logger?.warn({ folder: join(docsDir, name), err: error }, 'could not remove a staging folder')
    }
  }
  if (removed.length === 0) return removed
  // Not needed for safety (a folder that comes back is removed again), only so that it does not come back.
  await fs.syncDirectory(docsDir).catch(() => undefined)
  logger?.warn(
    { removed },
    `removed ${removed.length} staging folder(s) of document creations that a crash interrupted`,
  )
  return removed
}
