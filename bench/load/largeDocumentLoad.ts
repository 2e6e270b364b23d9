/**
 * The large deliverable (test/support/largeDeliverable.ts): a writer appends it to each document through a
 * real client; then new clients join and we time their initial sync (a raw client: socket opened to the
 * whole document received; a real provider: to `synced`, its own decoding included). Every document keeps one
 * raw client connected until the end, so servers that unload idle documents keep them in memory.
 */
import * as Y from 'yjs'
import { appendLargeDeliverable, largeDeliverable } from '../../test/support/largeDeliverable.ts'
import { median, within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { seedIfNeeded } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw, type RawClient } from './rawClient.ts'
import { connectReal } from './realClient.ts'

export interface LargeDocumentParams {
  targets: DocumentTarget[]
  /** Write the fixture first (false: the documents already hold it, e.g. after a restart). */
  write: boolean
  words: number
  clauses: number
  joins: number
}

export interface LargeDocumentResult {
  updateBytes: number
  writeSeconds: number[]
  /** Per document: the first join (a cold load after a restart when `write` is false). */
  firstJoinMs: number[]
  joinMs: number
  joinBytes: number
  providerJoinMs: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function joinRaw(target: DocumentTarget): Promise<{ ms: number; bytes: number; client: RawClient }> {
  const started = performance.now()
  // The last reader: where documents are many, each has its own (Accord limits connections per session).
  const client = await connectRaw(target, target.readers.at(-1) ?? '')
  const { at, bytes } = await within(client.synced, 120_000, 'raw join')
  return { ms: at - started, bytes, client }
}

export async function runLargeDocument(
  params: LargeDocumentParams,
  context: JobContext,
): Promise<LargeDocumentResult> {
  const fixture = params.write ? largeDeliverable({ words: params.words, clauses: params.clauses }) : null
  const keep: RawClient[] = []
  const writeSeconds: number[] = []
  const firstJoinMs: number[] = []
  let updateBytes = 0
  await context.mark('before-load')
  for (const target of params.targets) {
    if (params.write) {
      const doc = new Y.Doc()
      seedIfNeeded(target, doc)
      const writer = connectReal(target, target.editors[0] ?? '', doc)
      await within(writer.synced, 60_000, 'writer synced')
      const before = Y.encodeStateAsUpdate(doc).byteLength
      const started = performance.now()
      appendLargeDeliverable(writer.body, fixture!)
      const full = Y.encodeStateAsUpdate(doc).byteLength
      updateBytes = full - before
      // Written once a new client receives (nearly) all of it.
      for (;;) {
        const probe = await joinRaw(target)
        probe.client.close()
        if (probe.bytes >= full * 0.95) break
        await sleep(50)
      }
      writeSeconds.push((performance.now() - started) / 1000)
      // The keeper joins before the writer leaves: Hocuspocus unloads (and loses) a document nobody holds.
      const first = await joinRaw(target)
      firstJoinMs.push(first.ms)
      keep.push(first.client)
      writer.destroy()
    } else {
      const first = await joinRaw(target)
      firstJoinMs.push(first.ms)
      keep.push(first.client)
    }
  }
  await context.mark('all-loaded')

  const target = params.targets[0]!
  const joins: number[] = []
  let joinBytes = 0
  for (let i = 0; i < params.joins; i++) {
    const join = await joinRaw(target)
    joins.push(join.ms)
    joinBytes = join.bytes
    join.client.close()
  }
  const providerJoins: number[] = []
  for (let i = 0; i < Math.min(3, params.joins); i++) {
    const started = performance.now()
    const reader = connectReal(target, target.readers[0] ?? '')
    await within(reader.synced, 120_000, 'provider join')
    providerJoins.push(performance.now() - started)
    reader.destroy()
  }
  for (const client of keep) client.close()
  return {
    updateBytes,
    writeSeconds,
    firstJoinMs,
    joinMs: median(joins),
    joinBytes,
    providerJoinMs: median(providerJoins),
  }
}
