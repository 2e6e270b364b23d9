/**
 * The file operations the storage layer needs, and nothing more, so that tests can put a wrapper in between that
 * injects faults or simulates a power cut (test/support/powerCutFileSystem.ts).
 */
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises'

export interface FileStat {
  size: number
  isDirectory: boolean
}

/** A file opened for appending: every write lands at the current end, also after a truncate. */
export interface AppendHandle {
  /** Resolves when the operating system holds every byte; they are durable only after `sync`. */
  write(data: Uint8Array): Promise<void>
  /** fsync: the file's bytes and size survive a power cut once this resolves. */
  sync(): Promise<void>
  truncate(length: number): Promise<void>
  close(): Promise<void>
}

export interface FileSystem {
  /** Opens for appending, creating an empty file when missing (its name is durable only after syncDirectory). */
  openAppend(path: string): Promise<AppendHandle>
  readFile(path: string): Promise<Uint8Array>
  /** fsync of a directory: makes the names created, renamed or removed in it durable. */
  syncDirectory(path: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Creates the directory and any missing parents; no error when it exists. */
  mkdir(path: string): Promise<void>
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>
  readdir(path: string): Promise<string[]>
  /** Returns null when nothing exists at `path`. */
  stat(path: string): Promise<FileStat | null>
}

export const nodeFileSystem: FileSystem = {
  async openAppend(path) {
    const handle = await open(path, 'a')
    return {
      async write(data) {
        let offset = 0
        while (offset < data.byteLength) {
          const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset)
          offset += bytesWritten
        }
      },
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    }
  },
  async readFile(path) {
    const buffer = await readFile(path)
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  },
  async syncDirectory(path) {
    const handle = await open(path, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  async mkdir(path) {
    await mkdir(path, { recursive: true })
  },
  rmdir: (path) => rmdir(path),
  readdir: (path) => readdir(path),
  async stat(path) {
    try {
      const stats = await stat(path)
      return { size: stats.size, isDirectory: stats.isDirectory() }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  },
}
