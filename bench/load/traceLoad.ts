/**
 * Trace replay: one client types `automerge-paper` as fast as the server takes it, keeping at most `window`
 * edits ahead of the slowest follower (its edits are made before measuring, so that the load generator is not
 * what limits the rate); edits per second are end to end (first edit sent to last edit received by every
 * follower). The followers are raw clients whose update streams are verified: the first by applying it, the
 * others by being byte-identical to it; and a real provider that joins afterwards must hold the same text.
 */
import { createHash } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { MESSAGE_ACCORD, type ServerMessage } from '../../shared/protocol/messages.ts'
import { applyPatches, loadTrace, type SequentialTrace } from '../../test/support/traces.ts'
import { within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { seedIfNeeded, typingText } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw } from './rawClient.ts'
import { connectReal } from './realClient.ts'
import { applyToString } from './typingTrace.ts'
import { KeystrokeReader, SYNC_UPDATE, syncFrame, updateKey } from './wire.ts'

const STALL_MS = 60_000

export interface TraceReplayParams {
  target: DocumentTarget
  /** How many of the trace's transactions to type (all when larger). */
  edits: number
  followers: number
  window: number
}

export interface TraceReplayResult {
  edits: number
  followers: number
  seconds: number
  editsPerSecond: number
  /** Accord: until the `saved` acknowledgement covers the last edit (fsync'd). */
  durableSeconds: number | null
  followersExact: number
  typistExact: boolean
  lateJoinerExact: boolean
  encodedStateBytes: number
  loadGeneratorCpuPercent: number
}

export async function runTraceReplay(
  params: TraceReplayParams,
  context: JobContext,
): Promise<TraceReplayResult> {
  const { target } = params
  const trace = loadTrace<SequentialTrace>('automerge-paper.json.gz')
  const edits = Math.min(params.edits, trace.txns.length)
  let expected = trace.endContent
  if (edits < trace.txns.length) {
    expected = trace.startContent
    for (let i = 0; i < edits; i++) expected = applyToString(expected, trace.txns[i]!.patches)
  }

  // The typist's provider makes the text element; the edits are then made in a replica with its own clientID
  // before measuring, and sent as the provider would send them (one sync update each) on a raw socket, so that
  // the load generator spends microseconds per edit and the server is what is measured.
  const setup = new Y.Doc()
  seedIfNeeded(target, setup)
  const provider = connectReal(target, target.editors[0] ?? '', setup)
  await within(provider.synced, 30_000, 'typist synced')
  typingText(provider.body, 0)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(setup))
  const text = typingText(doc.getXmlFragment(BODY_FIELD), 0)
  const frames: Uint8Array[] = []
  const editKeys = new Set<number>()
  doc.on('update', (update: Uint8Array) => {
    frames.push(syncFrame(target, SYNC_UPDATE, update))
    const key = updateKey(update)
    if (key !== null) editKeys.add(key)
  })
  for (let i = 0; i < edits; i++) doc.transact(() => applyPatches(text, trace.txns[i]!.patches, true))
  if (editKeys.size !== edits) throw new Error(`${edits} edits made ${editKeys.size} distinguishable updates`)
  let savedClock = 0
  const typist = await connectRaw(
    target,
    target.editors[0] ?? '',
    {
      onOther: (type, frame, offset) => {
        if (type !== MESSAGE_ACCORD) return
        const decoder = decoding.createDecoder(frame)
        decoder.pos = offset
        const message = JSON.parse(decoding.readVarString(decoder)) as ServerMessage
        if (message.type === 'saved')
          savedClock = Math.max(savedClock, message.clocks[String(doc.clientID)] ?? 0)
      },
    },
    { hello: true },
  )
  await within(typist.synced, 30_000, 'raw typist synced')

  // Raw followers; progress counts the edits received (a frame may carry several when the server merges them).
  const reader = new KeystrokeReader((key) => editKeys.has(key))
  const progress = new Array<number>(params.followers).fill(0)
  let measuring = false
  /** Set while the typist waits for the followers to progress. */
  let wake: (() => void) | null = null
  // A follower that is closed never progresses: after STALL_MS without progress, fail with what was closed.
  const closes: string[] = []
  const progressed = () =>
    within(
      new Promise<void>((resolve) => {
        wake = resolve
      }),
      STALL_MS,
      'the followers progressing',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; closed meanwhile: ${closes.join(', ') || 'nothing'}`)
    })
  const stored: Uint8Array[] = []
  const hashes = Array.from({ length: params.followers }, () => createHash('sha1'))
  for (let i = 0; i < params.followers; i++) {
    const follower = await connectRaw(target, target.readers[i % target.readers.length] ?? '', {
      onClose: (code, reason) => closes.push(`follower ${i} (${code} ${reason})`),
      onSyncStep2: (frame, offset) => {
        if (i === 0) stored.push(frame.slice(offset))
      },
      onUpdate: (frame, offset) => {
        const payload = frame.subarray(offset)
        if (i === 0) stored.push(payload.slice())
        if (!measuring) return
        progress[i]! += reader.keys(payload).length
        hashes[i]!.update(payload)
        if (wake) {
          const resume = wake
          wake = null
          resume()
        }
      },
    })
    await within(follower.synced, 30_000, 'raw follower synced')
  }
  const slowest = () => {
    let min = Number.POSITIVE_INFINITY
    for (const value of progress) if (value < min) min = value
    return min
  }

  // Anything still in flight from the set-up (the typist's new text element) arrives before counting starts.
  await new Promise((r) => setTimeout(r, 300))
  measuring = true
  await context.mark('measure-start')
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  let typed = 0
  while (typed < edits) {
    const limit = Math.min(edits, slowest() + params.window)
    for (; typed < limit; typed++) typist.send(frames[typed]!)
    if (typed < edits) await progressed()
  }
  while (slowest() < edits) await progressed()
  const seconds = (performance.now() - started) / 1000
  const finalClock = Y.getState(doc.store, doc.clientID)
  let durableSeconds: number | null = null
  if (target.peer === 'accord') {
    await within(
      (async () => {
        while (savedClock < finalClock) await new Promise((r) => setTimeout(r, 2))
      })(),
      120_000,
      'saved acknowledgement of the last edit',
    )
    durableSeconds = (performance.now() - started) / 1000
  }
  const cpu = process.cpuUsage(cpuBefore)
  const wallMs = performance.now() - started
  await context.mark('measure-end')

  // Verification: the first follower's stream applied, the others byte-identical to it, and a real provider
  // joining afterwards.
  const replica = new Y.Doc()
  for (const update of stored) Y.applyUpdate(replica, update)
  const streamOk = typingText(replica.getXmlFragment(BODY_FIELD), 0).toString() === expected
  const digests = hashes.map((hash) => hash.digest('hex'))
  const followersExact = streamOk ? digests.filter((d) => d === digests[0]).length : 0
  const late = connectReal(target, target.readers[0] ?? '')
  await within(late.synced, 60_000, 'late joiner synced')
  const lateJoinerExact = typingText(late.body, 0).toString() === expected
  late.destroy()
  const result: TraceReplayResult = {
    edits,
    followers: params.followers,
    seconds,
    editsPerSecond: edits / seconds,
    durableSeconds,
    followersExact,
    typistExact: text.toString() === expected,
    lateJoinerExact,
    encodedStateBytes: Y.encodeStateAsUpdate(doc).byteLength,
    loadGeneratorCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  }
  typist.close()
  provider.destroy()
  return result
}
