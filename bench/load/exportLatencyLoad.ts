/**
 * Keystroke latency while the server exports: a real client writes the 120,000-word deliverable, then types one
 * character at a time (a human's pace) into it, and a raw client receives; the time from a keystroke's send to its
 * arrival at the receiver is recorded as "idle" (no export running) or "during export" (between an export
 * request's start and the end of its answer). Exports are asked over HTTP, as the editor's button does: the plain
 * .docx, then the .docx with revision marks against a version saved before typing started.
 */
import * as Y from 'yjs'
import { appendLargeDeliverable, largeDeliverable } from '../../test/support/largeDeliverable.ts'
import { Samples, type Summary, seededRandom, summarize, within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { typingText } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { connectRaw, type RawClient } from './rawClient.ts'
import { connectReal } from './realClient.ts'
import { KeystrokeReader, updateKey } from './wire.ts'

export interface ExportLatencyParams {
  target: DocumentTarget
  words: number
  clauses: number
  /** Typing before the exports and after them (each), ms. */
  idleMs: number
  /** Exports of each kind, one after another. */
  exportsPerKind: number
  keyIntervalMs: [number, number]
  seed: number
}

export interface ExportLatencyResult {
  idle: Summary
  duringExport: Record<string, Summary>
  /** Each export's time as the client saw it (request to last byte), ms. */
  exportMs: Record<string, number[]>
  keystrokes: number
  delivered: number
}

type Phase = 'idle' | 'docx' | 'marks'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function runExportLatency(
  params: ExportLatencyParams,
  context: JobContext,
): Promise<ExportLatencyResult> {
  const { target } = params
  const typist = connectReal(target, target.editors[0] ?? '')
  await within(typist.synced, 60_000, 'typist synced')
  appendLargeDeliverable(typist.body, largeDeliverable({ words: params.words, clauses: params.clauses }))
  const full = Y.encodeStateAsUpdate(typist.doc).byteLength

  const sent = new Map<number, { at: number; phase: Phase }>()
  const latencies: Record<Phase, Samples> = { idle: new Samples(), docx: new Samples(), marks: new Samples() }
  let delivered = 0
  const reader = new KeystrokeReader((key) => sent.has(key))
  const receiver = await receiverWithWholeDocument(target, full, (frame, offset, at) => {
    for (const key of reader.keys(frame, offset)) {
      const keystroke = sent.get(key)!
      latencies[keystroke.phase].push(at - keystroke.at)
      delivered++
    }
  })
  const http = (method: string, path: string, body?: unknown) =>
    fetch(`${target.httpBase}${path}`, {
      method,
      headers: { cookie: target.chair ?? '', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  const saved = await http('POST', `/api/deliverables/${target.name}/versions`, { name: 'Before typing' })
  if (saved.status !== 201) throw new Error(`saving a version: HTTP ${saved.status}`)
  const versionId = ((await saved.json()) as { version: { id: string } }).version.id
  await context.mark('ready')

  const text = typingText(typist.body, 0)
  let phase: Phase = 'idle'
  let sendingAt = 0
  let capturing = false
  typist.doc.on('update', (update: Uint8Array) => {
    if (!capturing) return
    const key = updateKey(update)
    if (key !== null) sent.set(key, { at: sendingAt, phase })
  })
  const random = seededRandom(params.seed)
  let keystrokes = 0
  let typing = true
  const typed = (async () => {
    while (typing) {
      sendingAt = performance.now()
      capturing = true
      text.insert(0, String.fromCharCode(97 + (keystrokes % 26)))
      capturing = false
      keystrokes++
      const [low, high] = params.keyIntervalMs
      await sleep(low + random() * (high - low))
    }
  })()

  const exportMs: Record<string, number[]> = { docx: [], marks: [] }
  await sleep(params.idleMs)
  for (const kind of ['docx', 'marks'] as const) {
    const query = kind === 'docx' ? 'format=docx' : `format=docx&marks=${versionId}`
    for (let i = 0; i < params.exportsPerKind; i++) {
      const started = performance.now()
      phase = kind
      const answer = await http('GET', `/api/deliverables/${target.name}/export?${query}`)
      const bytes = (await answer.arrayBuffer()).byteLength
      phase = 'idle'
      if (answer.status !== 200 || bytes === 0) throw new Error(`export ${kind}: HTTP ${answer.status}`)
      exportMs[kind]!.push(performance.now() - started)
      // A pause between exports: keystrokes sent in it count as idle.
      await sleep(params.idleMs / 4)
    }
  }
  await sleep(params.idleMs)
  typing = false
  await typed
  const deadline = performance.now() + 10_000
  while (delivered < sent.size && performance.now() < deadline) await sleep(20)
  typist.destroy()
  receiver.close()
  return {
    idle: summarize(latencies.idle.values()),
    duringExport: { docx: summarize(latencies.docx.values()), marks: summarize(latencies.marks.values()) },
    exportMs,
    keystrokes,
    delivered,
  }
}

/** A raw client joined once the server holds (nearly) the whole written document. */
async function receiverWithWholeDocument(
  target: DocumentTarget,
  fullBytes: number,
  onUpdate: (frame: Uint8Array, offset: number, at: number) => void,
): Promise<RawClient> {
  for (;;) {
    const receiver = await connectRaw(target, target.readers[0] ?? '', { onUpdate })
    const { bytes } = await within(receiver.synced, 120_000, 'receiver synced')
    if (bytes >= fullBytes * 0.95) return receiver
    receiver.close()
    await sleep(100)
  }
}
