/**
 * The load the crash loop and the power cuts run: typists replaying real editing traces, each into its own clause
 * (positions in a sequential trace are only meaningful in a text nobody else changes), through real y-websocket
 * providers that say hello and collect `saved` acknowledgements; some go offline and come back. Every typed
 * transaction is remembered with the clock it reached, so "acknowledged" is exact: a transaction is acknowledged
 * once a `saved` message covers its clock, and present after a restart once the server's state vector reaches it.
 */
import * as Y from 'yjs'
import type { ServerMessage } from '../../../shared/protocol/messages.ts'
import type { buildWorkspace, Session } from '../../support/factories.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../../support/syncClients.ts'
import type { TestServer } from '../../support/testServer.ts'
import { applyPatches, loadTrace, type SequentialTrace } from '../../support/traces.ts'
import { readServerDoc, stateVectorOf } from './serverDoc.ts'

export type Workspace = Awaited<ReturnType<typeof buildWorkspace>>

/** Where clients connect: a server, or a proxy standing in for whichever server is up. */
export interface Endpoint {
  url: string
  wsUrl: string
}

const TRACE_FILES = ['automerge-paper.json.gz', 'seph-blog1.json.gz']
const traces = new Map<string, SequentialTrace>()

/** One of the real sequential traces, by index (cycling). */
export function traceFor(index: number): SequentialTrace {
  const name = TRACE_FILES[index % TRACE_FILES.length]!
  let loaded = traces.get(name)
  if (!loaded) {
    loaded = loadTrace<SequentialTrace>(name)
    traces.set(name, loaded)
  }
  return loaded
}

export function connectAt(endpoint: Endpoint, deliverableId: string, session: Session): LiveClient {
  return connectClient({ wsUrl: endpoint.wsUrl } as TestServer, deliverableId, session.cookie, {
    accord: true,
  })
}

/** Waits until the server acknowledged everything this client wrote. */
export async function savedAll(client: LiveClient, timeoutMs = 20_000): Promise<void> {
  const own = () => Y.getState(client.doc.store, client.doc.clientID)
  await waitFor(
    () =>
      own() === 0 ||
      client.messages.some(
        (m) => m.type === 'saved' && (m.clocks[String(client.doc.clientID)] ?? 0) >= own(),
      ),
    'saved acknowledgement',
    timeoutMs,
  )
}

/** A clause with a heading and one empty paragraph; its `id` attribute is also its section id. */
export function newClause(id: string, title: string, text = ''): Y.XmlElement {
  const clause = new Y.XmlElement('clause')
  clause.setAttribute('id', id)
  clause.setAttribute('kind', 'numbered')
  const heading = new Y.XmlElement('clauseHeading')
  heading.insert(0, [new Y.XmlText(title)])
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  clause.insert(0, [heading, paragraph])
  return clause
}

/** Appends clauses through a real editor's client and waits until they are saved. */
export async function addClauses(
  endpoint: Endpoint,
  deliverableId: string,
  editor: Session,
  clauses: { id: string; title: string; text?: string }[],
): Promise<void> {
  const client = connectAt(endpoint, deliverableId, editor)
  await client.synced()
  client.doc.transact(() => {
    client.body.insert(
      client.body.length,
      clauses.map((c) => newClause(c.id, c.title, c.text)),
    )
  })
  await savedAll(client)
  client.destroy()
}

export class Typist {
  readonly client: LiveClient
  private next = 0
  /** The clock this client's store reached after each typed transaction. */
  private readonly clocks: number[] = []
  private text: Y.XmlText | null = null
  acked = 0
  readonly refusals: ServerMessage[] = []
  online = true

  constructor(
    endpoint: Endpoint,
    deliverableId: string,
    readonly session: Session,
    readonly title: string,
    private readonly replay: SequentialTrace,
  ) {
    this.client = connectAt(endpoint, deliverableId, session)
  }

  static forIndex(endpoint: Endpoint, deliverableId: string, session: Session, index: number): Typist {
    return new Typist(endpoint, deliverableId, session, `Typist ${index}`, traceFor(index))
  }

  get clientId(): number {
    return this.client.doc.clientID
  }

  /**
   * Set to hold keys while its socket is between opening and synced. A keystroke sent then, ahead of the sync
   * step 2 that carries the edits typed offline, is refused as resync-required and the connection then ignores
   * everything (a server bug: reconnectRace.test.ts); tests of other faults set this to stay clear of it.
   */
  holdsKeysWhileConnecting = false

  /** Types the next transaction of its trace (online or not: offline edits are sent on reconnect). */
  typeOne(): void {
    const { provider } = this.client
    if (this.holdsKeysWhileConnecting && provider.wsconnected && !provider.synced) return
    const txn = this.replay.txns[this.next]
    if (!txn) return
    this.text ??= firstParagraphText(clauseByTitle(this.client.body, this.title))
    const text = this.text
    this.client.doc.transact(() => applyPatches(text, txn.patches))
    this.next++
    this.clocks.push(Y.getState(this.client.doc.store, this.clientId))
  }

  /** Takes the acknowledgements (and any refusal, which would be a bug here) out of the received messages. */
  collect(): void {
    for (const message of this.client.messages.splice(0)) {
      if (message.type === 'saved')
        this.acked = Math.max(this.acked, message.clocks[String(this.clientId)] ?? 0)
      else if (message.type === 'refused') this.refusals.push(message)
    }
  }

  get typed(): number {
    return this.clocks.length
  }

  get acknowledged(): number {
    return this.clocks.filter((clock) => clock <= this.acked).length
  }

  /** Acknowledged transactions that the server's state vector does not reach. */
  lostIn(stateVector: Map<number, number>): number {
    const present = stateVector.get(this.clientId) ?? 0
    return this.clocks.filter((clock) => clock <= this.acked && clock > present).length
  }

  ownText(): string {
    return firstParagraphText(clauseByTitle(this.client.body, this.title)).toString()
  }

  goOffline(): void {
    this.online = false
    this.client.provider.disconnect()
  }

  goOnline(): void {
    this.online = true
    this.client.provider.connect()
  }

  destroy(): void {
    this.client.destroy()
  }
}

/** A crew of typists with a typing clock; `lost` sums acknowledged transactions missing after a restart. */
export class TypingCrew {
  private timer: NodeJS.Timeout | null = null

  constructor(readonly typists: Typist[]) {}

  start(intervalMs = 4): void {
    this.stop()
    this.timer = setInterval(() => {
      for (const typist of this.typists) typist.typeOne()
    }, intervalMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  collect(): void {
    for (const typist of this.typists) typist.collect()
  }

  disconnectAll(): void {
    for (const typist of this.typists) typist.client.provider.disconnect()
  }

  connectOnline(): void {
    for (const typist of this.typists) if (typist.online) typist.client.provider.connect()
  }

  async synced(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      () =>
        this.typists.every((t) => !t.online || (t.client.provider.wsconnected && t.client.provider.synced)),
      'typists synced',
      timeoutMs,
    )
  }

  /** Waits until the server holds everything every typist has (read over the wire, as a new client would). */
  async settled(wsBase: string, deliverableId: string, cookie: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const held = stateVectorOf(await readServerDoc(wsBase, deliverableId, cookie))
      const behind = this.typists.filter(
        (t) => (held.get(t.clientId) ?? 0) < Y.getState(t.client.doc.store, t.clientId),
      )
      if (behind.length === 0) return
      if (Date.now() > deadline) throw new Error(`the server never got all of ${behind.map((t) => t.title)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  lostIn(stateVector: Map<number, number>): number {
    return this.typists.reduce((sum, t) => sum + t.lostIn(stateVector), 0)
  }

  get acknowledged(): number {
    return this.typists.reduce((sum, t) => sum + t.acknowledged, 0)
  }

  get typed(): number {
    return this.typists.reduce((sum, t) => sum + t.typed, 0)
  }

  refusals(): ServerMessage[] {
    return this.typists.flatMap((t) => t.refusals)
  }

  destroy(): void {
    this.stop()
    for (const typist of this.typists) typist.destroy()
  }
}
