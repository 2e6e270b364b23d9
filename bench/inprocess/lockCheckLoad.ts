/**
 * The lock check's cost, measured in-process on the server core: the large deliverable with half its clauses
 * agreed, keystroke-sized updates made by replicas of it, and (1) the check alone (`createClauseLockCheck` over
 * `decodeClientUpdate`), (2) the whole accepted path of a real LiveDocument (checks, apply, log append with
 * fsync, broadcast to fake sockets) with and without the lock check in its pipeline.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import * as decoding from 'lib0/decoding'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { createLogger } from '../../server/logger.ts'
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import { nodeFileSystem } from '../../server/storage/fileSystem.ts'
import { causalityCheck } from '../../server/sync/checks/causality.ts'
import { createClauseLockCheck } from '../../server/sync/checks/clauseLock.ts'
import { decodeClientUpdate } from '../../server/sync/checks/decodedUpdate.ts'
import { LockTable } from '../../server/sync/checks/lockTable.ts'
import { permissionCheck } from '../../server/sync/checks/permission.ts'
import { UpdatePipeline } from '../../server/sync/checks/pipeline.ts'
import { SyncConnection } from '../../server/sync/connection.ts'
import { DocumentWriter } from '../../server/sync/documentWriter.ts'
import { LiveDocument } from '../../server/sync/liveDocument.ts'
import { encodeSyncUpdate } from '../../server/sync/wire.ts'
import { listClauses, ownBlocks } from '../../shared/clauses/clauseText.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { largeDeliverable, largeDeliverableUpdate } from '../../test/support/largeDeliverable.ts'
import { Samples, type Summary, seededRandom, summarize } from '../lib/stats.ts'
import type { JobContext } from '../load/protocol.ts'

export interface LockCheckParams {
  sizes: { words: number; clauses: number }[]
  /** Agreed clauses (every other one, from the first). */
  agreed: number
  samples: number
  pathSamples: number
  followers: number
  dataDir: string
}

export interface AcceptedPath {
  /** `LiveDocument.receive` of one keystroke: decode, checks, apply, broadcast, log append queued (µs). */
  receiveUs: Summary
  /** Until the `saved` acknowledgement: the append fsync'd (ms). */
  savedMs: Summary
}

export interface LockCheckSize {
  words: number
  clauses: number
  agreed: number
  documentBytes: number
  decodeUs: Summary
  lockCheckUs: { insertAccepted: Summary; deleteAccepted: Summary; insertRefused: Summary }
  withLock: AcceptedPath
  withoutLock: AcceptedPath
}

const WARM_UP = 200

/** The first paragraph text of each clause, in document order. */
function clauseTexts(doc: Y.Doc): Y.XmlText[] {
  return listClauses(doc.getXmlFragment(BODY_FIELD)).map(({ element }) => {
    const paragraph = ownBlocks(element).find((b) => b instanceof Y.XmlElement && b.nodeName === 'paragraph')
    const text = (paragraph as Y.XmlElement | undefined)?.toArray()[0]
    if (!(text instanceof Y.XmlText)) throw new Error('fixture clause without paragraph text')
    return text
  })
}

function capture(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null
  const keep = (u: Uint8Array) => {
    update = u
  }
  doc.on('update', keep)
  change()
  doc.off('update', keep)
  if (!update) throw new Error('the change produced no update')
  return update
}

function replica(base: Uint8Array, clientID: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  Y.applyUpdate(doc, base)
  return doc
}

/** A keystroke in one of the unlocked clauses (odd indexes): an insert or, every third time, a delete. */
function keystroke(texts: Y.XmlText[], random: () => number, kind: 'insert' | 'delete'): void {
  const unlocked = texts.filter((_, i) => i % 2 === 1)
  const text = unlocked[Math.floor(random() * unlocked.length)]!
  if (kind === 'insert') text.insert(Math.floor(random() * (text.length + 1)), 'x')
  else text.delete(Math.floor(random() * text.length), 1)
}

function protect(locks: LockTable, doc: Y.Doc, agreed: number): void {
  listClauses(doc.getXmlFragment(BODY_FIELD)).forEach(({ element, id }, i) => {
    if (i % 2 !== 0 || i / 2 >= agreed) return
    const { client, clock } = element._item!.id
    locks.protect(doc, { client, clock }, id, 'agreed')
  })
}

function measureChecks(base: Uint8Array, params: LockCheckParams) {
  const server = replica(base, 1)
  const locks = new LockTable()
  protect(locks, server, params.agreed)
  const lockCheck = createClauseLockCheck(locks)
  const pipeline = new UpdatePipeline([permissionCheck, causalityCheck, lockCheck])
  const writer = replica(base, 2)
  const intruder = replica(base, 3)
  const writerTexts = clauseTexts(writer)
  const intruderTexts = clauseTexts(intruder).filter((_, i) => i % 2 === 0 && i / 2 < params.agreed)
  const random = seededRandom(1)
  const used = new Set<string>()
  const decode = new Samples()
  const lock = { insertAccepted: new Samples(), deleteAccepted: new Samples(), insertRefused: new Samples() }
  for (let i = 0; i < params.samples + WARM_UP; i++) {
    const kind = (['insertAccepted', 'deleteAccepted', 'insertRefused'] as const)[i % 3]!
    let update: Uint8Array
    if (kind === 'insertRefused') {
      // Typed into an agreed clause after its first character (so its origin is stored), then taken back
      // locally: the intruder's later keystrokes never depend on what the server refused.
      // Never twice at one place: Yjs would then insert after the earlier (deleted) character, whose id the
      // server does not know.
      let pick: number
      let position: number
      do {
        pick = Math.floor(random() * intruderTexts.length)
        position = 1 + Math.floor(random() * intruderTexts[pick]!.length)
      } while (used.has(`${pick}:${position}`))
      used.add(`${pick}:${position}`)
      const text = intruderTexts[pick]!
      update = capture(intruder, () => text.insert(position, 'x'))
      text.delete(position, 1)
    } else {
      update = capture(writer, () =>
        keystroke(writerTexts, random, kind === 'insertAccepted' ? 'insert' : 'delete'),
      )
    }
    const t0 = performance.now()
    const decoded = decodeClientUpdate(update)
    const t1 = performance.now()
    const verdict = lockCheck.check({ doc: server, update: decoded, canEdit: true })
    const t2 = performance.now()
    if (verdict.ok === (kind === 'insertRefused'))
      throw new Error(`lock check gave the wrong verdict for ${kind}`)
    if (kind !== 'insertRefused') {
      if (!pipeline.run({ doc: server, update: decoded, canEdit: true }).ok)
        throw new Error('pipeline refused')
      Y.applyUpdate(server, update)
    }
    if (i < WARM_UP) continue
    decode.push((t1 - t0) * 1000)
    lock[kind].push((t2 - t1) * 1000)
  }
  return {
    documentBytes: Y.encodeStateAsUpdate(server).byteLength,
    decodeUs: summarize(decode.values()),
    lockCheckUs: {
      insertAccepted: summarize(lock.insertAccepted.values()),
      deleteAccepted: summarize(lock.deleteAccepted.values()),
      insertRefused: summarize(lock.insertRefused.values()),
    },
  }
}

/** A socket that only counts, or hands Accord messages to `onAccord`. */
function fakeSocket(onAccord?: (message: ServerMessage) => void): WebSocket {
  return {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send(frame: Uint8Array) {
      if (!onAccord || frame[0] !== 100) return
      const decoder = decoding.createDecoder(frame)
      decoding.readVarUint(decoder)
      onAccord(JSON.parse(decoding.readVarString(decoder)) as ServerMessage)
    },
    close() {},
    terminate() {},
  } as unknown as WebSocket
}

async function measureAcceptedPath(
  base: Uint8Array,
  params: LockCheckParams,
  withLock: boolean,
  dir: string,
): Promise<AcceptedPath> {
  const logger = createLogger('warn')
  await mkdir(dir, { recursive: true })
  const store = await FileDocumentStore.open(nodeFileSystem, dir)
  const docId = withLock ? 'withlock' : 'without'
  await store.create(docId, base, 'system')
  const doc = replica(base, 1)
  const steps = (locks: LockTable) =>
    new UpdatePipeline(
      withLock
        ? [permissionCheck, causalityCheck, createClauseLockCheck(locks)]
        : [permissionCheck, causalityCheck],
    )
  const live = new LiveDocument(
    docId,
    doc,
    steps,
    { maxSyncMessageBytes: 8 << 20, maxAwarenessMessageBytes: 16 << 10 },
    logger,
  )
  live.attachWriter(new DocumentWriter(store, docId, logger, 4 << 20, () => Y.encodeStateAsUpdate(doc)))
  protect(live.locks, doc, params.agreed)
  const user = (id: string) => ({ id, name: id, organization: 'Org', color: '#000' })
  const writer = replica(base, 2)
  let saved = 0
  let onSaved: (() => void) | null = null
  const typist = new SyncConnection(
    fakeSocket((message) => {
      if (message.type !== 'saved') return
      saved = message.clocks[String(writer.clientID)] ?? saved
      onSaved?.()
    }),
    user('typist'),
    'session',
    true,
  )
  typist.speaksAccord = true
  live.attach(typist)
  for (let i = 0; i < params.followers; i++)
    live.attach(new SyncConnection(fakeSocket(), user(`f${i}`), 's', false))
  const texts = clauseTexts(writer)
  const random = seededRandom(2)
  const receive = new Samples()
  const savedMs = new Samples()
  for (let i = 0; i < params.pathSamples + WARM_UP; i++) {
    const update = capture(writer, () => keystroke(texts, random, 'insert'))
    const clock = Y.getState(writer.store, writer.clientID)
    const frame = encodeSyncUpdate(update)
    const durable = new Promise<void>((resolve) => {
      onSaved = () => {
        if (saved >= clock) resolve()
      }
    })
    const t0 = performance.now()
    live.receive(typist, frame)
    const t1 = performance.now()
    await durable
    const t2 = performance.now()
    if (i < WARM_UP) continue
    receive.push((t1 - t0) * 1000)
    savedMs.push(t2 - t0)
  }
  live.destroy()
  await store.closeAll()
  return { receiveUs: summarize(receive.values()), savedMs: summarize(savedMs.values()) }
}

export async function runLockCheck(params: LockCheckParams, context: JobContext): Promise<LockCheckSize[]> {
  // A first pass on a small document, not reported, so that every reported size runs optimized code.
  const warmUp = largeDeliverableUpdate(largeDeliverable({ words: 4000, clauses: 400 }))
  measureChecks(warmUp, { ...params, samples: 3000 })
  await measureAcceptedPath(
    warmUp,
    { ...params, pathSamples: 500 },
    true,
    path.join(params.dataDir, 'warm-up'),
  )
  const results: LockCheckSize[] = []
  for (const size of params.sizes) {
    context.log(`lock check: building ${size.words.toLocaleString('en')} words in ${size.clauses} clauses`)
    const base = largeDeliverableUpdate(largeDeliverable(size))
    const checks = measureChecks(base, params)
    const dir = path.join(params.dataDir, String(size.words))
    const withLock = await measureAcceptedPath(base, params, true, dir)
    const withoutLock = await measureAcceptedPath(base, params, false, dir)
    results.push({ ...size, agreed: params.agreed, ...checks, withLock, withoutLock })
  }
  return results
}
