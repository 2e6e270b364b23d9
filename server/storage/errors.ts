/**
 * Typed storage errors. Each message names the file and says what a person can do about it; `code` carries the
 * operating system's error code (ENOSPC, EIO, ...) so callers can tell a full disk from a broken one.
 */

const HINTS: Record<string, string> = {
  ENOSPC: 'The disk is full: free space, then retry.',
  EDQUOT: 'The disk quota is exhausted: raise it or free space, then retry.',
  EIO: 'The disk reported an I/O error: check its health (dmesg, SMART) before retrying.',
  EROFS: 'The file system is read-only: remount it read-write.',
  EACCES: 'Permission denied: check the owner and mode of the data directory.',
  EPERM: 'Permission denied: check the owner and mode of the data directory.',
  EMFILE: 'Too many open files: raise the limit (ulimit -n).',
  // PostgreSQL (DATABASE_URL): the driver's network codes and SQLSTATEs.
  ECONNREFUSED: 'Nothing answers at the database address: check that PostgreSQL is running.',
  ETIMEDOUT: 'The database did not answer in time: check PostgreSQL and the network.',
  '53100': 'The database server is out of disk space: free space, then retry.',
  '57P01': 'The database server is shutting down: retry once it is back.',
  AC001:
    'Another server process owns this document now (its lease epoch moved on): this one must not write it.',
}

function hintFor(code: string): string {
  return HINTS[code] ?? 'Check the data directory and the disk.'
}

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : 'EUNKNOWN'
}

export abstract class StorageError extends Error {
  constructor(
    message: string,
    /** The file or directory concerned. */
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Bytes on disk are not what we wrote. Raised before anything is modified: the file is left as evidence. */
export class StorageCorruptError extends StorageError {
  constructor(
    path: string,
    /** Byte offset of the first bad byte or record, when it is known. */
    readonly offset: number | undefined,
    readonly reason: string,
    /** What an operator can do about it; the default suits a file that has no repair command. */
    remedy = 'restore it from a backup, or move it aside to start this part over',
  ) {
    const where = offset === undefined ? '' : ` at byte ${offset}`
    super(`Corrupt data in ${path}${where}: ${reason}. The file was left unchanged; ${remedy}.`, path)
  }
}

/** The remedy of a damaged record log, quoting the command that repairs it (docs/OPERATIONS.md). */
export function logRepairRemedy(repairCommand = 'npm run repair -- --data-dir DIR --document ID'): string {
  return (
    `nothing in it was dropped. Stop the server and run \`${repairCommand} --dry-run\` to see what cutting ` +
    'the log before the damaged record keeps and drops, then the same with --yes (docs/OPERATIONS.md); or ' +
    'restore the file from a backup'
  )
}

/** A write, fsync, rename or truncate failed: what was being written is not known to be durable. */
export class StorageWriteError extends StorageError {
  readonly code: string

  constructor(
    path: string,
    cause: unknown,
    /**
     * The failed bytes could not be taken back either: they may or may not be read after a restart. Whoever
     * reported "not saved" must not act as if it were certain.
     */
    readonly outcomeUnknown = false,
  ) {
    const code = codeOf(cause)
    const what = outcomeUnknown
      ? 'The change may or may not have been saved: it could neither be made durable nor taken back.'
      : 'The change was not saved.'
    super(`Could not write ${path} (${code}). ${what} ${hintFor(code)}`, path, { cause })
    this.code = code
  }
}

/** A file exists but could not be read (permissions, I/O error): distinct from "not there". */
export class StorageReadError extends StorageError {
  readonly code: string

  constructor(path: string, cause: unknown) {
    const code = codeOf(cause)
    super(`Could not read ${path} (${code}). Nothing was changed. ${hintFor(code)}`, path, { cause })
    this.code = code
  }
}

export class DocumentNotFoundError extends StorageError {
  constructor(
    readonly docId: string,
    path: string,
  ) {
    super(`Document ${docId} has no storage at ${path}.`, path)
  }
}

export class DocumentExistsError extends StorageError {
  constructor(
    readonly docId: string,
    path: string,
  ) {
    super(`Document ${docId} already exists at ${path}; it was left as it is.`, path)
  }
}

/** Wraps an OS error from writing `path`, keeping a storage error that is already typed. */
export function writeError(path: string, error: unknown): StorageError {
  return error instanceof StorageError ? error : new StorageWriteError(path, error)
}

export function readError(path: string, error: unknown): StorageError {
  return error instanceof StorageError ? error : new StorageReadError(path, error)
}
