/** Builders shared by the storage tests: temporary directories, a seeded random source, token edits in Yjs. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import * as Y from 'yjs'
import type { LoadedDocument } from '../../server/storage/documentStore.ts'

/** A fresh directory under the OS temp dir for each test, removed afterwards. */
export function tempDirPerTest(): () => string {
  let dir: string | undefined
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'accord-storage-'))
  })
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
    dir = undefined
  })
  return () => {
    if (!dir) throw new Error('tempDirPerTest: only inside a test')
    return dir
  }
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

/**
 * A Y.Doc whose edits each insert one token like `[name]` into the text `body`, at its start or end so that no
 * token is ever split; each edit returns its Yjs update.
 */
export class TokenDoc {
  readonly doc = new Y.Doc()

  constructor(clientId?: number) {
    if (clientId !== undefined) this.doc.clientID = clientId
  }

  static fromLoaded(loaded: LoadedDocument, clientId?: number): TokenDoc {
    const tokens = new TokenDoc(clientId)
    if (loaded.snapshot) Y.applyUpdate(tokens.doc, loaded.snapshot)
    for (const { update } of loaded.updates) Y.applyUpdate(tokens.doc, update)
    return tokens
  }

  insert(token: string, atStart = false): Uint8Array {
    const before = Y.encodeStateVector(this.doc)
    const text = this.doc.getText('body')
    text.insert(atStart ? 0 : text.length, `[${token}]`)
    return Y.encodeStateAsUpdate(this.doc, before)
  }

  get fullState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc)
  }

  /** Every client id in the state, owned by `user-<id>`: what the sync layer passes to a compaction. */
  get clientOwners(): Map<number, string> {
    return new Map(
      [...Y.decodeStateVector(Y.encodeStateVector(this.doc)).keys()].map((id) => [id, `user-${id}`]),
    )
  }

  get tokens(): Set<string> {
    return new Set(
      [
        ...this.doc
          .getText('body')
          .toString()
          .matchAll(/\[([^\]]+)\]/g),
      ].map((m) => m[1]!),
    )
  }

  /** True when some update could not be integrated for lack of an earlier one. */
  get hasMissingDependencies(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null
  }
}
