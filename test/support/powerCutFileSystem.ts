/**
 * A disk that can lose power. `PowerCutDisk` hands out `FileSystem`s over a real directory and keeps, beside it,
 * a model of what a power cut would keep: per file, the bytes as of its last fsync; per directory, the entries as
 * of its last fsync. `powerCut()` rewrites the directory to that state, as a machine would find it on reboot;
 * file systems handed out before the cut fail from then on, so a store's leftover work cannot touch the new state.
 *
 * Faults: `failNext(operation, code)`, `failWhen(hook)`, and `cutAfter(n)` which cuts the power as the n-th
 * operation from now starts.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { type AppendHandle, type FileSystem, nodeFileSystem } from '../../server/storage/fileSystem.ts'

export type DiskOperation =
  | 'open'
  | 'write'
  | 'fsync'
  | 'fsyncDirectory'
  | 'truncate'
  | 'read'
  | 'rename'
  | 'unlink'
  | 'mkdir'
  | 'rmdir'
  | 'readdir'
  | 'stat'

/** Returns an error code to fail the operation with, or undefined to let it run. */
export type FaultHook = (operation: DiskOperation, path: string) => string | undefined

export interface DiskOptions {
  /** fsync of a file does nothing (its bytes stay unsynced): a store that skips fsync. */
  skipFileSync?: boolean
  /** fsync of a directory does nothing: a store that forgets to make new names durable. */
  skipDirectorySync?: boolean
}

export interface PowerCutOptions {
  /**
   * Without it, every unsynced byte and directory change is lost. With it, each file keeps a random part of the
   * bytes appended since its last fsync (a torn write), and each unsynced directory entry survives or not at
   * random, as writeback may have reached the disk in any order.
   */
  random?: () => number
}

interface FileNode {
  kind: 'file'
  data: Uint8Array
  durable: Uint8Array
}

interface DirectoryNode {
  kind: 'directory'
  entries: Map<string, DiskNode>
  durableEntries: Map<string, DiskNode>
}

type DiskNode = FileNode | DirectoryNode

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${message}`)
  error.code = code
  return error
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength)
  joined.set(a)
  joined.set(b, a.byteLength)
  return joined
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.byteLength > bytes.byteLength) return false
  for (let i = 0; i < prefix.byteLength; i++) if (bytes[i] !== prefix[i]) return false
  return true
}

function emptyDirectory(): DirectoryNode {
  return { kind: 'directory', entries: new Map(), durableEntries: new Map() }
}

export class PowerCutDisk {
  /** How many times each operation was called (successful or not). */
  readonly counts = new Map<DiskOperation, number>()
  private operations = 0
  private epoch = 0
  private powered = true
  private cutAt: number | null = null
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly openHandles = new Set<AppendHandle>()
  private faults: { operation: DiskOperation; code: string; remaining: number }[] = []
  private hook: FaultHook | undefined

  private constructor(
    readonly root: string,
    private tree: DirectoryNode,
    private readonly options: DiskOptions,
  ) {}

  /** Takes `root` as it is now as durable. */
  static async create(root: string, options: DiskOptions = {}): Promise<PowerCutDisk> {
    return new PowerCutDisk(root, await scan(root), options)
  }

  /** A file system for the current power period; it fails for good once the power goes. */
  fileSystem(): FileSystem {
    return new PoweredFileSystem(this, this.epoch)
  }

  failNext(operation: DiskOperation, code: string, count = 1): void {
    this.faults.push({ operation, code, remaining: count })
  }

  failWhen(hook: FaultHook | undefined): void {
    this.hook = hook
  }

  /** Cuts the power as the n-th operation from now starts (n >= 1); call `powerCut()` afterwards. */
  cutAfter(operations: number): void {
    this.cutAt = this.operations + operations
  }

  get isCut(): boolean {
    return !this.powered
  }

  count(operation: DiskOperation): number {
    return this.counts.get(operation) ?? 0
  }

  /** Drops what was not durable and rewrites the directory accordingly; the power is back afterwards. */
  async powerCut(options: PowerCutOptions = {}): Promise<void> {
    this.powered = false
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
    for (const handle of this.openHandles) await handle.close().catch(() => undefined)
    this.openHandles.clear()
    const survivor = survive(this.tree, options.random, new Map())
    for (const name of await readdir(this.root)) await rm(path.join(this.root, name), { recursive: true })
    await materialize(this.root, survivor)
    this.tree = survivor
    this.epoch++
    this.cutAt = null
    this.faults = []
    this.hook = undefined
    this.powered = true
  }

  /** Checks power and faults as an operation starts; returns the fault code to inject, if any. */
  begin(epoch: number, operation: DiskOperation, target: string): string | undefined {
    this.counts.set(operation, this.count(operation) + 1)
    this.ensurePowered(epoch)
    this.operations++
    if (this.cutAt !== null && this.operations >= this.cutAt) {
      this.powered = false
      this.ensurePowered(epoch)
    }
    const fault = this.faults.find((f) => f.operation === operation && f.remaining > 0)
    if (fault) {
      fault.remaining--
      return fault.code
    }
    return this.hook?.(operation, target)
  }

  ensurePowered(epoch: number): void {
    if (!this.powered || epoch !== this.epoch)
      throw errnoError('EIO', 'the power is off (simulated power cut)')
  }

  /** Runs a real operation; the model is updated by the caller only if the power stayed on. */
  async run<T>(epoch: number, operation: () => Promise<T>): Promise<T> {
    const running = operation()
    this.inFlight.add(running)
    try {
      return await running
    } finally {
      this.inFlight.delete(running)
      this.ensurePowered(epoch)
    }
  }

  trackHandle(handle: AppendHandle, open: boolean): void {
    if (open) this.openHandles.add(handle)
    else this.openHandles.delete(handle)
  }

  get skipsFileSync(): boolean {
    return this.options.skipFileSync === true
  }

  get skipsDirectorySync(): boolean {
    return this.options.skipDirectorySync === true
  }

  /** The node at `target` in the current (not durable) tree. */
  lookup(target: string): DiskNode | undefined {
    let node: DiskNode | undefined = this.tree
    for (const name of this.components(target)) {
      if (node?.kind !== 'directory') return undefined
      node = node.entries.get(name)
    }
    return node
  }

  /** The directory holding `target` and the name in it. */
  parentOf(target: string): [DirectoryNode, string] {
    const names = this.components(target)
    const name = names.pop()
    const parent = this.lookup(path.join(this.root, ...names))
    if (!name || parent?.kind !== 'directory') throw new Error(`No directory holds ${target}`)
    return [parent, name]
  }

  /** The file node at `target`, added to the current tree when the name is new. */
  fileAt(target: string): FileNode {
    let node = this.lookup(target)
    if (!node) {
      node = { kind: 'file', data: new Uint8Array(0), durable: new Uint8Array(0) }
      const [parent, name] = this.parentOf(target)
      parent.entries.set(name, node)
    }
    if (node.kind !== 'file') throw new Error(`${target} is a directory`)
    return node
  }

  /** Moves the entry at `from` to `to` in the current tree; a null `to` removes it. */
  moveEntry(from: string, to: string | null): void {
    const [fromParent, fromName] = this.parentOf(from)
    const node = fromParent.entries.get(fromName)
    fromParent.entries.delete(fromName)
    if (!node || to === null) return
    const [toParent, toName] = this.parentOf(to)
    toParent.entries.set(toName, node)
  }

  markDirectoryDurable(target: string): void {
    const node = this.lookup(target)
    if (node?.kind === 'directory') node.durableEntries = new Map(node.entries)
  }

  addDirectories(target: string): void {
    let node: DirectoryNode = this.tree
    for (const name of this.components(target)) {
      let next = node.entries.get(name)
      if (!next) {
        next = emptyDirectory()
        node.entries.set(name, next)
      }
      if (next.kind !== 'directory') throw new Error(`${name} is a file, in ${target}`)
      node = next
    }
  }

  private components(target: string): string[] {
    const relative = path.relative(this.root, path.resolve(target))
    if (relative.startsWith('..') || path.isAbsolute(relative))
      throw new Error(`${target} is outside the disk`)
    return relative === '' ? [] : relative.split(path.sep)
  }
}

/** The tree a reboot would find; every part of it is durable. */
function survive(dir: DirectoryNode, random: (() => number) | undefined, seen: Map<DiskNode, DiskNode>) {
  const kept = emptyDirectory()
  for (const name of new Set([...dir.durableEntries.keys(), ...dir.entries.keys()])) {
    const durable = dir.durableEntries.get(name)
    const current = dir.entries.get(name)
    const chosen = random && current !== durable && random() < 0.5 ? current : durable
    if (!chosen) continue
    let copy = seen.get(chosen)
    if (!copy) {
      copy = chosen.kind === 'directory' ? survive(chosen, random, seen) : surviveFile(chosen, random)
      seen.set(chosen, copy)
    }
    kept.entries.set(name, copy)
    kept.durableEntries.set(name, copy)
  }
  return kept
}

function surviveFile(file: FileNode, random: (() => number) | undefined): FileNode {
  let bytes = file.durable
  if (random && startsWith(file.data, file.durable)) {
    const unsynced = file.data.subarray(file.durable.byteLength)
    bytes = concat(bytes, unsynced.subarray(0, Math.floor(random() * (unsynced.byteLength + 1))))
  }
  return { kind: 'file', data: bytes, durable: bytes }
}

async function materialize(dir: string, node: DirectoryNode): Promise<void> {
  for (const [name, child] of node.entries) {
    const target = path.join(dir, name)
    if (child.kind === 'file') {
      await writeFile(target, child.data)
    } else {
      await mkdir(target)
      await materialize(target, child)
    }
  }
}

async function scan(dir: string): Promise<DirectoryNode> {
  const node = emptyDirectory()
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name)
    let child: DiskNode
    if (entry.isDirectory()) {
      child = await scan(target)
    } else {
      const data = new Uint8Array(await readFile(target))
      child = { kind: 'file', data, durable: data }
    }
    node.entries.set(entry.name, child)
    node.durableEntries.set(entry.name, child)
  }
  return node
}

/** The FileSystem of one power period: every call goes through the disk's checks and keeps its model. */
class PoweredFileSystem implements FileSystem {
  constructor(
    private readonly disk: PowerCutDisk,
    private readonly epoch: number,
  ) {}

  /** Checks power and faults, runs the real operation, then lets `model` record its effect. */
  private async call<T>(
    operation: DiskOperation,
    target: string,
    real: () => Promise<T>,
    model?: () => void,
  ) {
    const code = this.disk.begin(this.epoch, operation, target)
    if (code) throw errnoError(code, `injected ${operation} fault on ${target}`)
    const result = await this.disk.run(this.epoch, real)
    model?.()
    return result
  }

  async openAppend(target: string): Promise<AppendHandle> {
    let opening: Promise<AppendHandle> | undefined
    try {
      const real = await this.call('open', target, () => {
        opening = nodeFileSystem.openAppend(target)
        return opening
      })
      const handle = new ModelledHandle(this.disk, this.epoch, target, real, this.disk.fileAt(target))
      this.disk.trackHandle(real, true)
      return handle
    } catch (error) {
      // Opened, but the power went meanwhile: release the descriptor.
      await opening?.then((handle) => handle.close()).catch(() => undefined)
      throw error
    }
  }

  readFile(target: string): Promise<Uint8Array> {
    return this.call('read', target, () => nodeFileSystem.readFile(target))
  }

  syncDirectory(target: string): Promise<void> {
    if (this.disk.skipsDirectorySync) return this.call('fsyncDirectory', target, async () => undefined)
    const model = () => this.disk.markDirectoryDurable(target)
    return this.call('fsyncDirectory', target, () => nodeFileSystem.syncDirectory(target), model)
  }

  rename(from: string, to: string): Promise<void> {
    const model = () => this.disk.moveEntry(from, to)
    return this.call('rename', from, () => nodeFileSystem.rename(from, to), model)
  }

  unlink(target: string): Promise<void> {
    const model = () => this.disk.moveEntry(target, null)
    return this.call('unlink', target, () => nodeFileSystem.unlink(target), model)
  }

  mkdir(target: string): Promise<void> {
    const model = () => this.disk.addDirectories(target)
    return this.call('mkdir', target, () => nodeFileSystem.mkdir(target), model)
  }

  rmdir(target: string): Promise<void> {
    const model = () => this.disk.moveEntry(target, null)
    return this.call('rmdir', target, () => nodeFileSystem.rmdir(target), model)
  }

  readdir(target: string): Promise<string[]> {
    return this.call('readdir', target, () => nodeFileSystem.readdir(target))
  }

  stat(target: string) {
    return this.call('stat', target, () => nodeFileSystem.stat(target))
  }
}

/** A handle on one file node: like a file descriptor, it follows the file through renames. */
class ModelledHandle implements AppendHandle {
  constructor(
    private readonly disk: PowerCutDisk,
    private readonly epoch: number,
    private readonly target: string,
    private readonly real: AppendHandle,
    private readonly node: FileNode,
  ) {}

  private begin(operation: DiskOperation): string | undefined {
    return this.disk.begin(this.epoch, operation, this.target)
  }

  async write(data: Uint8Array): Promise<void> {
    const code = this.begin('write')
    // A full disk typically takes part of a write before refusing the rest.
    const written = code === 'ENOSPC' ? data.subarray(0, Math.floor(data.byteLength / 2)) : code ? null : data
    if (written && written.byteLength > 0) {
      await this.disk.run(this.epoch, () => this.real.write(written))
      this.node.data = concat(this.node.data, written)
    }
    if (code) throw errnoError(code, `injected write fault on ${this.target}`)
  }

  async sync(): Promise<void> {
    const code = this.begin('fsync')
    if (code) throw errnoError(code, `injected fsync fault on ${this.target}`)
    if (this.disk.skipsFileSync) return
    await this.disk.run(this.epoch, () => this.real.sync())
    this.node.durable = this.node.data
  }

  async truncate(length: number): Promise<void> {
    const code = this.begin('truncate')
    if (code) throw errnoError(code, `injected truncate fault on ${this.target}`)
    await this.disk.run(this.epoch, () => this.real.truncate(length))
    const data = new Uint8Array(length)
    data.set(this.node.data.subarray(0, length))
    this.node.data = data
  }

  async close(): Promise<void> {
    this.disk.trackHandle(this.real, false)
    // Closing never fails for lack of power: the descriptor is released either way.
    await this.real.close().catch(() => undefined)
  }
}
