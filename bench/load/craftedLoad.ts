/**
 * The crafted attacks of the abuse scenario (Accord only), each from one raw socket of a logged-in user that
 * says hello, in its own niced process on the load core: updates built struct by struct to cost the server as
 * much as its limits allow (a chain of one-character items at the struct limit, far over it, filling the 8 MiB
 * message limit; elements nested to the depth limit and far beyond), and floods of cheap messages (awareness with
 * a thousand fresh clientIDs and states near the size limit, hello frames, presence queries).
 *
 * An update attack is sent, its answer awaited (`saved` or `refused`, or the socket's close), and the next sent
 * one interval after the previous; a refused connection ignores further updates (SYNC.md §3), so the attacker
 * reconnects, as often as the server's per-session connection limit lets it. Accepted attacks go on from what the
 * server holds (the next chain continues the last, the next nesting follows the last), so each one is new work.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { countStructs } from '../../server/sync/checks/structCount.ts'
import { CLAUSE } from '../../shared/editor/clauseNodes.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { encodeAccordFrame, readAccordBody } from '../../shared/protocol/accordCodec.ts'
import {
  MESSAGE_ACCORD,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../../shared/protocol/messages.ts'
import { Samples, type Summary, summarize } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import {
  type Built,
  type ChainAnchor,
  chainedText,
  chainedTextWithin,
  lastItem,
  nestedElements,
} from './craftedUpdates.ts'
import { typingText } from './documentShape.ts'
import type { JobContext } from './protocol.ts'
import { MESSAGE_SYNC, rawUrl, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE, syncFrame } from './wire.ts'

export const CRAFTED_CASES = [
  'chain-at-limit',
  'chain-far-over',
  'chain-8mib',
  'chain-8mib-accepted',
  'nesting-at-limit',
  'nesting-deepest',
  'nesting-20000',
  'awareness-flood',
  'hello-flood',
  'query-flood',
] as const
export type CraftedCase = (typeof CRAFTED_CASES)[number]

export interface CraftedParams {
  target: DocumentTarget
  case: CraftedCase
  /** An editor's session cookie (update attacks, hello flood). */
  editorCookie: string
  /** An observer's session cookie (awareness and presence-query floods). */
  observerCookie: string
  /** The server's limits: structs per update, nesting depth, bytes per sync message. */
  maxStructs: number
  maxNesting: number
  maxSyncMessageBytes: number
  /** Update attacks: one sent every this many milliseconds at most. */
  intervalMs: number
  /** The clause the update attacks write in (by the index typists use; none of them types there). */
  clauseIndex: number
}

export interface CraftedResult {
  case: CraftedCase
  seconds: number
  /** Messages sent (updates, or flood frames). */
  sent: number
  /** Size of one message (the largest when they differ) and the structs in one update. */
  messageBytes: number
  structsPerUpdate: number
  /** What the server answered to each update attack: saved, refused:<reason>, closed:<code>, no answer. */
  answers: Record<string, number>
  /** From sending an update to its answer (ms). */
  answerMs: Summary | null
  connections: number
  /** Connection attempts the server refused before the WebSocket (429 and others), by status. */
  refusedConnections: Record<string, number>
  /** Closes by the server, by code. */
  closeCodes: Record<string, number>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Type, step and a 4-byte length in front of a sync update; room to spare under the message limit. */
const FRAME_OVERHEAD = 16
/** How far over the struct limit the "far over" chain goes. */
const FAR_OVER = 10
const DEEP = 20_000
const ANSWER_TIMEOUT_MS = 20_000

interface Connection {
  socket: WebSocket
  closed: boolean
  closeCode: number
  onAccord: ((message: ServerMessage) => void) | null
  onSyncStep2: ((update: Uint8Array) => void) | null
  onClose: (() => void) | null
}

class Attacker {
  readonly result: CraftedResult

  constructor(private readonly params: CraftedParams) {
    this.result = {
      case: params.case,
      seconds: 0,
      sent: 0,
      messageBytes: 0,
      structsPerUpdate: 0,
      answers: {},
      answerMs: null,
      connections: 0,
      refusedConnections: {},
      closeCodes: {},
    }
  }

  private count(map: Record<string, number>, key: string | number): void {
    map[key] = (map[key] ?? 0) + 1
  }

  /** Opens a socket, waiting out 429s; null once stopped. */
  async connect(cookie: string, stopped: () => boolean): Promise<Connection | null> {
    while (!stopped()) {
      const opened = await new Promise<{ socket: WebSocket } | { status: number; retryAfter: number }>(
        (resolve) => {
          const socket = new WebSocket(rawUrl(this.params.target), {
            headers: cookie ? { cookie } : {},
            perMessageDeflate: false,
            maxPayload: 256 * 2 ** 20,
          })
          socket.once('open', () => resolve({ socket }))
          socket.once('unexpected-response', (_request, response) => {
            const retryAfter = Number(response.headers['retry-after'] ?? 1)
            socket.terminate()
            resolve({ status: response.statusCode ?? 0, retryAfter })
          })
          socket.once('error', () => resolve({ status: 0, retryAfter: 1 }))
        },
      )
      if ('socket' in opened) {
        this.result.connections++
        const connection: Connection = {
          socket: opened.socket,
          closed: false,
          closeCode: 0,
          onAccord: null,
          onSyncStep2: null,
          onClose: null,
        }
        opened.socket.on('message', (data: Buffer) => {
          const decoder = decoding.createDecoder(
            new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          )
          const type = decoding.readVarUint(decoder)
          if (type === MESSAGE_ACCORD) {
            const message = readAccordBody(decoder)
            if (message) connection.onAccord?.(message as ServerMessage)
          } else if (type === MESSAGE_SYNC && decoding.readVarUint(decoder) === SYNC_STEP_2)
            connection.onSyncStep2?.(decoding.readVarUint8Array(decoder))
        })
        opened.socket.on('close', (code) => {
          connection.closed = true
          connection.closeCode = code
          this.count(this.result.closeCodes, code)
          connection.onClose?.()
        })
        opened.socket.on('error', () => undefined)
        return connection
      }
      this.count(this.result.refusedConnections, opened.status)
      await sleep(Math.max(100, opened.retryAfter * 1000))
    }
    return null
  }

  /** Sends an update and waits for the server's answer to it. */
  async sendUpdate(connection: Connection, built: Built, client: number): Promise<string> {
    const frame = syncFrame(this.params.target, SYNC_UPDATE, built.bytes)
    this.result.messageBytes = Math.max(this.result.messageBytes, frame.byteLength)
    this.result.structsPerUpdate = built.structs
    const answered = new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('no answer'), ANSWER_TIMEOUT_MS)
      const done = (answer: string) => {
        clearTimeout(timer)
        connection.onAccord = null
        connection.onClose = null
        resolve(answer)
      }
      connection.onAccord = (message) => {
        if (message.type === 'refused') done(`refused: ${message.reason}`)
        else if (message.type === 'saved' && (message.clocks[String(client)] ?? 0) >= built.nextClock)
          done('saved')
      }
      connection.onClose = () => done(`closed: ${connection.closeCode}`)
    })
    connection.socket.send(frame)
    this.result.sent++
    return answered
  }
}

function awarenessUpdate(entries: { client: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.client)
    encoding.writeVarUint(inner, entry.clock)
    encoding.writeVarString(inner, JSON.stringify(entry.state))
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

/**
 * The text the chains go in: the first paragraph's of the clause, created by the attacker (under its own
 * clientID, as an editor would on its first keystroke) when the paragraph is empty. Returns the creating update
 * to send first, if any.
 */
function attackedText(
  params: CraftedParams,
  doc: Y.Doc,
  client: number,
): { text: Y.XmlText; creation: Built | null } {
  doc.clientID = client
  let update: Uint8Array | null = null
  const keep = (u: Uint8Array) => {
    update = u
  }
  doc.on('update', keep)
  const text = typingText(doc.getXmlFragment(BODY_FIELD), params.clauseIndex)
  doc.off('update', keep)
  const created = update as Uint8Array | null
  if (!created) return { text, creation: null }
  const nextClock = Y.getState(doc.store, client)
  return {
    text,
    creation: { bytes: created, structs: 1, nextClock, last: Y.createID(client, nextClock - 1) },
  }
}

/** Which update attack, from the document as the server sent it: a generator of the next update to send. */
function updateAttack(params: CraftedParams, doc: Y.Doc, client: number, text: Y.XmlText): () => Built {
  const body = doc.getXmlFragment(BODY_FIELD)
  const end = lastItem(text)
  let anchor: ChainAnchor = {
    client,
    clock: Y.getState(doc.store, client),
    origin: end ? end.lastId : null,
    rightOrigin: null,
    parent: text._item!.id,
  }
  /** The longest chain the server's struct count lets through (it counts each client's group too). */
  const atLimit = (chars: number) => {
    let count = params.maxStructs
    while (countStructs(chainedText(anchor, count, chars).bytes, params.maxStructs) > params.maxStructs)
      count--
    return count
  }
  const continuing = (count: number, chars: number) => () => {
    const built = chainedText(anchor, count, chars)
    anchor = { ...anchor, clock: built.nextClock, origin: built.last }
    return built
  }
  const fixed = (built: Built) => () => built
  const maxBytes = params.maxSyncMessageBytes - FRAME_OVERHEAD
  switch (params.case) {
    case 'chain-at-limit':
      return continuing(atLimit(1), 1)
    case 'chain-far-over':
      return fixed(chainedText(anchor, params.maxStructs * FAR_OVER))
    case 'chain-8mib':
      // As many one-character structs as the message limit holds.
      return fixed(chainedTextWithin(anchor, maxBytes))
    case 'chain-8mib-accepted': {
      // At the struct limit, each struct as long as the byte limit allows (ids take more bytes as clocks grow).
      const count = atLimit(1)
      let chars = Math.floor(maxBytes / count)
      return () => {
        let built = chainedText(anchor, count, chars)
        while (built.bytes.byteLength > maxBytes) built = chainedText(anchor, count, --chars)
        anchor = { ...anchor, clock: built.nextClock, origin: built.last }
        return built
      }
    }
    case 'nesting-at-limit': {
      let after = lastItem(body)?.id ?? null
      let clock = anchor.clock
      return () => {
        const built = nestedElements(client, clock, params.maxNesting, after, BODY_FIELD, CLAUSE)
        after = Y.createID(client, clock)
        clock = built.nextClock
        return built
      }
    }
    case 'nesting-deepest': {
      // The deepest nesting the struct count lets through: refused by the nesting step itself.
      const after = lastItem(body)?.id ?? null
      let depth = params.maxStructs
      const build = () => nestedElements(client, anchor.clock, depth, after, BODY_FIELD, CLAUSE)
      while (countStructs(build().bytes, params.maxStructs) > params.maxStructs) depth--
      return fixed(build())
    }
    case 'nesting-20000':
      return fixed(nestedElements(client, anchor.clock, DEEP, lastItem(body)?.id ?? null, BODY_FIELD, CLAUSE))
    default:
      throw new Error(`${params.case} is not an update attack`)
  }
}

async function runUpdateAttack(
  params: CraftedParams,
  context: JobContext,
  attacker: Attacker,
): Promise<void> {
  const client = 0x5eed_0000 + CRAFTED_CASES.indexOf(params.case)
  const hello = encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION, clientId: client })
  let connection = await attacker.connect(params.editorCookie, context.stopped)
  if (!connection) return
  const doc = new Y.Doc()
  const synced = new Promise<void>((resolve) => {
    connection!.onSyncStep2 = (update) => {
      Y.applyUpdate(doc, update)
      resolve()
    }
  })
  connection.socket.send(syncFrame(params.target, SYNC_STEP_1, new Uint8Array([0])))
  connection.socket.send(hello)
  await synced
  connection.onSyncStep2 = null
  const { text, creation } = attackedText(params, doc, client)
  if (creation) {
    const answer = await attacker.sendUpdate(connection, creation, client)
    attacker.result.sent--
    if (answer !== 'saved')
      throw new Error(`the server did not take the attacked paragraph's text: ${answer}`)
  }
  const next = updateAttack(params, doc, client, text)
  let built = next()
  await context.mark('attacking', { structs: built.structs, bytes: built.bytes.byteLength })
  const answerMs = new Samples()
  let reconnect = false
  while (!context.stopped()) {
    const started = performance.now()
    if (reconnect || connection.closed) {
      connection.socket.terminate()
      const fresh = await attacker.connect(params.editorCookie, context.stopped)
      if (!fresh) break
      connection = fresh
      connection.socket.send(hello)
    }
    const sent = performance.now()
    const answer = await attacker.sendUpdate(connection, built, client)
    answerMs.push(performance.now() - sent)
    attacker.result.answers[answer] = (attacker.result.answers[answer] ?? 0) + 1
    // A refused connection ignores what follows; an accepted chain goes on from what the server now holds.
    reconnect = answer !== 'saved'
    if (answer === 'saved') built = next()
    await sleep(Math.max(0, params.intervalMs - (performance.now() - started)))
  }
  connection.socket.terminate()
  attacker.result.answerMs = summarize(answerMs.values())
}

async function runFlood(params: CraftedParams, context: JobContext, attacker: Attacker): Promise<void> {
  const observer = params.case !== 'hello-flood'
  const cookie = observer ? params.observerCookie : params.editorCookie
  let burst: () => Uint8Array[]
  let everyMs: number
  if (params.case === 'awareness-flood') {
    // Alternately a thousand fresh clientIDs (the most one message may carry) and states near the size limit
    // for the connection's own clientIDs (which every other client is then sent) plus fresh ones.
    let fresh = 0x1000_0000
    let clock = 1
    const own = [0x0eed_0001, 0x0eed_0002, 0x0eed_0003, 0x0eed_0004]
    const large = (n: number) => ({ cursor: { anchor: 'a'.repeat(1900 + (n % 50)) } })
    let odd = false
    burst = () => {
      const frames: Uint8Array[] = []
      for (let i = 0; i < 10; i++) {
        odd = !odd
        if (odd)
          frames.push(
            awarenessUpdate(Array.from({ length: 1000 }, () => ({ client: fresh++, clock: 1, state: {} }))),
          )
        else {
          clock++
          const entries = [
            ...own.map((client) => ({ client, clock, state: large(clock) })),
            ...[0, 1, 2].map(() => ({ client: fresh++, clock: 1, state: large(fresh) })),
          ]
          frames.push(awarenessUpdate(entries))
        }
      }
      return frames
    }
    everyMs = 10
  } else if (params.case === 'hello-flood') {
    const hello = encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION })
    burst = () => Array.from({ length: 500 }, () => hello)
    everyMs = 25
  } else {
    const query = new Uint8Array([MESSAGE_QUERY_AWARENESS])
    burst = () => Array.from({ length: 500 }, () => query)
    everyMs = 25
  }
  let connection = await attacker.connect(cookie, context.stopped)
  if (!connection) return
  await context.mark('attacking', { bytes: burst()[0]!.byteLength })
  while (!context.stopped()) {
    if (connection.closed) {
      const fresh = await attacker.connect(cookie, context.stopped)
      if (!fresh) break
      connection = fresh
    }
    if (connection.socket.bufferedAmount < 4 * 2 ** 20)
      for (const frame of burst()) {
        connection.socket.send(frame)
        attacker.result.sent++
        attacker.result.messageBytes = Math.max(attacker.result.messageBytes, frame.byteLength)
      }
    await sleep(everyMs)
  }
  connection.socket.terminate()
}

export async function runCrafted(params: CraftedParams, context: JobContext): Promise<CraftedResult> {
  const attacker = new Attacker(params)
  const started = performance.now()
  if (params.case === 'awareness-flood' || params.case === 'hello-flood' || params.case === 'query-flood')
    await runFlood(params, context, attacker)
  else await runUpdateAttack(params, context, attacker)
  attacker.result.seconds = (performance.now() - started) / 1000
  return attacker.result
}
