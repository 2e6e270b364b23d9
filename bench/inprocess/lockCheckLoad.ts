/**
 * The update checks' cost, measured in-process on the server core: the large deliverable with half its clauses
 * agreed, keystroke-sized updates made by replicas of it, and (1) the whole `UpdateChecker.check` (normalization
 * and every step), then each step on its own (`normalizeUpdate`, size and permission, client ownership,
 * causality, the integration plan, nesting, the lock check), (2) the whole accepted path of a real LiveDocument
 * (checks, apply, broadcast to fake sockets, log append with fsync) with and without agreed clauses.
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
import { decodeClientUpdate, normalizeUpdate } from '../../server/sync/checks/decodedUpdate.ts'
import { DocumentTree } from '../../server/sync/checks/documentTree.ts'
import { type Integration, planIntegration } from '../../server/sync/checks/integration.ts'
import { integrationCheck } from '../../server/sync/checks/integrationCheck.ts'
import { DEFAULT_MAX_UPDATE_STRUCTS, nestingCheck } from '../../server/sync/checks/limits.ts'
import { LockTable } from '../../server/sync/checks/lockTable.ts'
import { clientOwnershipCheck } from '../../server/sync/checks/ownership.ts'
import { permissionCheck } from '../../server/sync/checks/permission.ts'
import { UpdateChecker } from '../../server/sync/checks/pipeline.ts'
import { countStructs } from '../../server/sync/checks/structCount.ts'
import type { CheckContext, Sender, UpdateCheck } from '../../server/sync/checks/types.ts'
import { ClientOwners } from '../../server/sync/clientOwners.ts'
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
  sizes: { words: number; clauses: number; samples?: number; pathSamples?: number }[]
  /** Agreed clauses (every other one, from the first). */
  agreed: number
  samples: number
  pathSamples: number
  followers: number
  dataDir: string
}

export interface AcceptedPath {
  /** `LiveDocument.receive` of one keystroke: normalization, checks, apply, the update queued (µs). */
  receiveUs: Summary
  /**
   * `receive` and the outbox's turn after it (the next `setImmediate`): the frame to every connection and the
   * log append queued; the whole accepted path but the fsync (µs).
   */
  acceptedUs: Summary
  /** Until the `saved` acknowledgement: the append fsync'd (ms). */
  savedMs: Summary
}

export type UpdateKind = 'insertAccepted' | 'deleteAccepted' | 'insertRefused'

/** What one kind of keystroke update costs (µs): the whole check, and each of its parts on its own. */
export interface CheckCosts {
  /** `UpdateChecker.check`: normalization and every step, as the server runs it. */
  checkUs: Summary
  /** `normalizeUpdate` (`Y.diffUpdate` against the state vector, decode, live deletions). */
  normalizeUs: Summary
  /** The struct count (`countStructs`, before decoding) and the permission step together. */
  sizePermissionUs: Summary
  ownershipUs: Summary
  causalityUs: Summary
  /** The integration step: `planIntegration` (where Yjs will put each struct) computed once. */
  integrationUs: Summary
  /** The nesting step, on the plan already computed. */
  nestingUs: Summary
  lockUs: Summary
  /** Struct count + normalize + ownership + integration plan + nesting: what the rewritten pipeline added. */
  newStepsUs: Summary
}

export interface LockCheckSize {
  words: number
  clauses: number
  agreed: number
  samples: number
  pathSamples: number
  documentBytes: number
  /** `decodeClientUpdate` alone (what the pipeline did before normalization), for comparison. */
  decodeUs: Summary
  costs: Record<UpdateKind, CheckCosts>
  /** Inserts and deletes that were accepted, together. */
  accepted: CheckCosts
  withLock: AcceptedPath
  withoutLock: AcceptedPath
}

const WARM_UP = 200
/** The intruder's first clientID (one per refused update). */
const INTRUDER_CLIENTS = 1_000_000
const KINDS: readonly UpdateKind[] = ['insertAccepted', 'deleteAccepted', 'insertRefused']

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

/** Agrees every other clause, from the first, `agreed` of them. */
function protect(
  doc: Y.Doc,
  agreed: number,
  lock: (item: { client: number; clock: number }, id: string) => void,
) {
  listClauses(doc.getXmlFragment(BODY_FIELD)).forEach(({ element, id }, i) => {
    if (i % 2 !== 0 || i / 2 >= agreed) return
    const { client, clock } = element._item!.id
    lock({ client, clock }, id)
  })
}

interface StepSamples {
  check: Samples
  normalize: Samples
  sizePermission: Samples
  ownership: Samples
  causality: Samples
  integration: Samples
  nesting: Samples
  lock: Samples
  newSteps: Samples
}

const stepSamples = (): StepSamples => ({
  check: new Samples(),
  normalize: new Samples(),
  sizePermission: new Samples(),
  ownership: new Samples(),
  causality: new Samples(),
  integration: new Samples(),
  nesting: new Samples(),
  lock: new Samples(),
  newSteps: new Samples(),
})

function costsOf(samples: StepSamples[]): CheckCosts {
  const pooled = (pick: (s: StepSamples) => Samples) =>
    summarize(samples.flatMap((s) => Array.from(pick(s).values())))
  return {
    checkUs: pooled((s) => s.check),
    normalizeUs: pooled((s) => s.normalize),
    sizePermissionUs: pooled((s) => s.sizePermission),
    ownershipUs: pooled((s) => s.ownership),
    causalityUs: pooled((s) => s.causality),
    integrationUs: pooled((s) => s.integration),
    nestingUs: pooled((s) => s.nesting),
    lockUs: pooled((s) => s.lock),
    newStepsUs: pooled((s) => s.newSteps),
  }
}

function expectOk(step: UpdateCheck, context: CheckContext): void {
  const verdict = step.check(context)
  if (!verdict.ok) throw new Error(`step ${step.name} refused a keystroke: ${verdict.message}`)
}

/**
 * Each step of the pipeline on its own, in the pipeline's order, with its own DocumentTree (as cold as the
 * checker's own). Returns the lock check's verdict.
 */
function timeSteps(
  doc: Y.Doc,
  bytes: Uint8Array,
  sender: Sender,
  owners: ClientOwners,
  tree: DocumentTree,
  lockCheck: UpdateCheck,
  into: StepSamples | null,
): boolean {
  const t0 = performance.now()
  if (countStructs(bytes, DEFAULT_MAX_UPDATE_STRUCTS) > DEFAULT_MAX_UPDATE_STRUCTS)
    throw new Error('a keystroke over the struct limit')
  expectOk(permissionCheck, { sender } as CheckContext)
  const t1 = performance.now()
  const update = normalizeUpdate(doc, bytes)
  const t2 = performance.now()
  let integration: Integration | undefined
  const context: CheckContext = {
    doc,
    update,
    sender,
    owners,
    tree,
    integration: () => {
      integration ??= planIntegration(doc, update, tree)
      return integration
    },
  }
  expectOk(clientOwnershipCheck, context)
  const t3 = performance.now()
  expectOk(causalityCheck, context)
  const t4 = performance.now()
  expectOk(integrationCheck, context)
  const t5 = performance.now()
  expectOk(nestingCheck, context)
  const t6 = performance.now()
  const locked = !lockCheck.check(context).ok
  const t7 = performance.now()
  if (into) {
    into.sizePermission.push((t1 - t0) * 1000)
    into.normalize.push((t2 - t1) * 1000)
    into.ownership.push((t3 - t2) * 1000)
    into.causality.push((t4 - t3) * 1000)
    into.integration.push((t5 - t4) * 1000)
    into.nesting.push((t6 - t5) * 1000)
    into.lock.push((t7 - t6) * 1000)
    into.newSteps.push((t3 - t0 + (t6 - t4)) * 1000)
  }
  return locked
}

function measureChecks(base: Uint8Array, params: LockCheckParams, samples: number) {
  const server = replica(base, 1)
  const locks = new LockTable()
  protect(server, params.agreed, (item, id) => locks.protect(server, item, id, 'agreed'))
  const owners = new ClientOwners()
  const checker = new UpdateChecker(server, locks, owners)
  const lockCheck = createClauseLockCheck(locks)
  const stepTree = new DocumentTree()
  const writer = replica(base, 2)
  const intruder = replica(base, 3)
  owners.claim(writer.clientID, 'writer')
  const senders = {
    writer: { userId: 'writer', canEdit: true },
    intruder: { userId: 'intruder', canEdit: true },
  } satisfies Record<string, Sender>
  const writerTexts = clauseTexts(writer)
  const intruderTexts = clauseTexts(intruder).filter((_, i) => i % 2 === 0 && i / 2 < params.agreed)
  const random = seededRandom(1)
  const used = new Set<string>()
  const decode = new Samples()
  const byKind = Object.fromEntries(KINDS.map((k) => [k, stepSamples()])) as Record<UpdateKind, StepSamples>
  for (let i = 0; i < samples + WARM_UP; i++) {
    const kind = KINDS[i % 3]!
    let update: Uint8Array
    if (kind === 'insertRefused') {
      // Typed into an agreed clause after its first character (so its origin is stored), then taken back
      // locally: the intruder's later keystrokes never depend on what the server refused.
      // Never twice at one place: Yjs would then insert after the earlier (deleted) character, whose id the
      // server does not know. Each under a clientID of its own: the server holds none of the intruder's
      // refused structs, so a second one under the same clientID would be refused for its clock gap.
      let pick: number
      let position: number
      do {
        pick = Math.floor(random() * intruderTexts.length)
        position = 1 + Math.floor(random() * intruderTexts[pick]!.length)
      } while (used.has(`${pick}:${position}`))
      used.add(`${pick}:${position}`)
      const text = intruderTexts[pick]!
      intruder.clientID = INTRUDER_CLIENTS + i
      update = capture(intruder, () => text.insert(position, 'x'))
      text.delete(position, 1)
    } else {
      update = capture(writer, () =>
        keystroke(writerTexts, random, kind === 'insertAccepted' ? 'insert' : 'delete'),
      )
    }
    const sender = kind === 'insertRefused' ? senders.intruder : senders.writer
    const warm = i < WARM_UP
    const into = warm ? null : byKind[kind]
    const t0 = performance.now()
    const result = checker.check(update, sender)
    const t1 = performance.now()
    const refused = kind === 'insertRefused'
    if (refused !== (result.kind === 'refused'))
      throw new Error(`the checker gave the wrong verdict for ${kind}: ${result.kind}`)
    if (result.kind === 'refused' && result.verdict.step !== 'clause-lock')
      throw new Error(`the refused keystroke was refused by ${result.verdict.step}, not the lock check`)
    const locked = timeSteps(server, update, sender, owners, stepTree, lockCheck, into)
    if (locked !== refused) throw new Error(`the lock check gave the wrong verdict for ${kind}`)
    const t2 = performance.now()
    decodeClientUpdate(update)
    const t3 = performance.now()
    if (result.kind === 'accepted') Y.applyUpdate(server, result.update.bytes)
    if (!into) continue
    into.check.push((t1 - t0) * 1000)
    decode.push((t3 - t2) * 1000)
  }
  return {
    documentBytes: Y.encodeStateAsUpdate(server).byteLength,
    decodeUs: summarize(decode.values()),
    costs: Object.fromEntries(KINDS.map((k) => [k, costsOf([byKind[k]])])) as Record<UpdateKind, CheckCosts>,
    accepted: costsOf([byKind.insertAccepted, byKind.deleteAccepted]),
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
  pathSamples: number,
  withLock: boolean,
  dir: string,
): Promise<AcceptedPath> {
  const logger = createLogger('warn')
  await mkdir(dir, { recursive: true })
  const store = await FileDocumentStore.open(nodeFileSystem, dir)
  const docId = withLock ? 'withlock' : 'without'
  await store.create(docId, base, 'system')
  const doc = replica(base, 1)
  let live: LiveDocument | undefined
  const writer = new DocumentWriter(store, docId, logger, 4 << 20, () => ({
    state: Y.encodeStateAsUpdate(doc),
    owners: live!.clientOwners(),
  }))
  live = new LiveDocument(docId, doc, {
    owners: new ClientOwners(),
    writer,
    limits: {
      maxSyncMessageBytes: 8 << 20,
      maxAwarenessMessageBytes: 16 << 10,
      maxUpdateStructs: DEFAULT_MAX_UPDATE_STRUCTS,
    },
    logger,
    hooks: {
      hello() {},
      broken(_live, reason) {
        throw new Error(`the live document broke: ${reason}`)
      },
      committed() {},
    },
  })
  if (withLock) protect(doc, params.agreed, (item, id) => live.lockAgreed(item, id))
  const user = (id: string) => ({ id, name: id, organization: 'Org', color: '#000' })
  const replicaDoc = replica(base, 2)
  let saved = 0
  let onSaved: (() => void) | null = null
  let refusal: string | null = null
  const typist = new SyncConnection(
    fakeSocket((message) => {
      if (message.type === 'refused') refusal = message.message
      if (message.type !== 'saved') return
      saved = message.clocks[String(replicaDoc.clientID)] ?? saved
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
  const texts = clauseTexts(replicaDoc)
  const random = seededRandom(2)
  const receive = new Samples()
  const accepted = new Samples()
  const savedMs = new Samples()
  for (let i = 0; i < pathSamples + WARM_UP; i++) {
    const update = capture(replicaDoc, () => keystroke(texts, random, 'insert'))
    const clock = Y.getState(replicaDoc.store, replicaDoc.clientID)
    const frame = encodeSyncUpdate(update)
    const durable = new Promise<void>((resolve) => {
      onSaved = () => {
        if (saved >= clock) resolve()
      }
    })
    const t0 = performance.now()
    live.receive(typist, frame)
    const t1 = performance.now()
    // The outbox sends on the next turn (setImmediate, first in line): the frame to every connection, the append.
    const t2 = await new Promise<number>((resolve) => setImmediate(() => resolve(performance.now())))
    if (refusal) throw new Error(`the live document refused a keystroke: ${refusal}`)
    await durable
    const t3 = performance.now()
    if (i < WARM_UP) continue
    receive.push((t1 - t0) * 1000)
    accepted.push((t2 - t0) * 1000)
    savedMs.push(t3 - t0)
  }
  live.destroy()
  await store.closeAll()
  return {
    receiveUs: summarize(receive.values()),
    acceptedUs: summarize(accepted.values()),
    savedMs: summarize(savedMs.values()),
  }
}

export async function runLockCheck(params: LockCheckParams, context: JobContext): Promise<LockCheckSize[]> {
  // A first pass on a small document, not reported, so that every reported size runs optimized code.
  const warmUp = largeDeliverableUpdate(largeDeliverable({ words: 4000, clauses: 400 }))
  measureChecks(warmUp, params, 3000)
  await measureAcceptedPath(warmUp, params, 500, true, path.join(params.dataDir, 'warm-up'))
  await measureAcceptedPath(warmUp, params, 500, false, path.join(params.dataDir, 'warm-up'))
  const results: LockCheckSize[] = []
  for (const size of params.sizes) {
    const samples = size.samples ?? params.samples
    const pathSamples = size.pathSamples ?? params.pathSamples
    context.log(`lock check: building ${size.words.toLocaleString('en')} words in ${size.clauses} clauses`)
    const base = largeDeliverableUpdate(largeDeliverable(size))
    const checks = measureChecks(base, params, samples)
    const dir = path.join(params.dataDir, String(size.words))
    const withLock = await measureAcceptedPath(base, params, pathSamples, true, dir)
    const withoutLock = await measureAcceptedPath(base, params, pathSamples, false, dir)
    results.push({
      words: size.words,
      clauses: size.clauses,
      agreed: params.agreed,
      samples,
      pathSamples,
      ...checks,
      withLock,
      withoutLock,
    })
  }
  return results
}
