/**
 * Real sync clients for tests: the npm `y-websocket` WebsocketProvider in Node (through `ws`, carrying the
 * session cookie), and a raw y-protocols socket for crafted messages.
 */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { clauseTitle, findClause } from '../../shared/clauses/clauseText.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { encodeAccordFrame, readAccordBody } from '../../shared/protocol/accordCodec.ts'
import { MESSAGE_ACCORD, PROTOCOL_VERSION, type ServerMessage } from '../../shared/protocol/messages.ts'
import type { TestServer } from './testServer.ts'

export function cookieWebSocket(cookie: string | undefined, origin?: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      const headers: Record<string, string> = {}
      if (cookie) headers.cookie = cookie
      if (origin) headers.origin = origin
      super(url, protocols, { headers })
    }
  }
}

export interface LiveClient {
  doc: Y.Doc
  provider: WebsocketProvider
  body: Y.XmlFragment
  /** Accord messages received (only when `accord: true`). */
  messages: ServerMessage[]
  closes: { code: number; reason: string }[]
  synced(): Promise<void>
  destroy(): void
}

export interface LiveClientOptions {
  /** Say hello and collect Accord's own messages (as the editor does). */
  accord?: boolean
  doc?: Y.Doc
  connect?: boolean
}

/** Says hello as the editor does, naming the replica's clientID. */
export function sayHello(provider: WebsocketProvider): void {
  provider.ws?.send(
    encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION, clientId: provider.doc.clientID }),
  )
}

export function connectClient(
  server: TestServer,
  deliverableId: string,
  cookie: string | undefined,
  options: LiveClientOptions = {},
): LiveClient {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(server.wsUrl, deliverableId, doc, {
    WebSocketPolyfill: cookieWebSocket(cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
  })
  const messages: ServerMessage[] = []
  const closes: { code: number; reason: string }[] = []
  if (options.accord) {
    provider.messageHandlers[MESSAGE_ACCORD] = (_encoder, decoder) => {
      const message = readAccordBody(decoder)
      if (message) messages.push(message as ServerMessage)
    }
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') sayHello(provider)
    })
  }
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event) closes.push({ code: event.code, reason: String(event.reason) })
  })
  return {
    doc,
    provider,
    body: doc.getXmlFragment(BODY_FIELD),
    messages,
    closes,
    synced: () =>
      new Promise<void>((resolve) => {
        if (provider.synced) return resolve()
        const onSync = (synced: boolean) => {
          if (!synced) return
          provider.off('sync', onSync)
          resolve()
        }
        provider.on('sync', onSync)
      }),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Waits until `condition` holds, polling; fails with `message` after `timeoutMs` (generous by default). */
export async function waitFor(
  condition: () => boolean,
  message = 'condition',
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** A raw WebSocket to /sync/:id for crafted frames; resolves once open (or rejects with the HTTP status). */
export function rawSocket(
  server: TestServer,
  deliverableId: string,
  cookie: string | undefined,
  origin?: string,
): Promise<{ socket: WebSocket; received: Uint8Array[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {}
    if (cookie) headers.cookie = cookie
    if (origin) headers.origin = origin
    const socket = new WebSocket(`${server.wsUrl}/${deliverableId}`, { headers })
    const received: Uint8Array[] = []
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    )
    socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
    socket.on('open', () => resolve({ socket, received, closed }))
    socket.on('unexpected-response', (_req, res) => reject(new UpgradeRefused(res.statusCode ?? 0)))
    socket.on('error', (error) => reject(error))
  })
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`)
  }
}

/** Text of the whole body (all clause text concatenated), for convergence checks. */
export function bodyText(body: Y.XmlFragment): string {
  return body.toString()
}

/** The first clause in document order whose heading reads `title` (for typing into a clause from a test). */
export function clauseByTitle(body: Y.XmlFragment, title: string): Y.XmlElement {
  const found = findClause(body, (element) => clauseTitle(element) === title)
  if (!found) throw new Error(`no clause titled ${title}`)
  return found
}

/** The XmlText of the clause's first paragraph. */
export function firstParagraphText(clause: Y.XmlElement): Y.XmlText {
  for (const child of clause.toArray()) {
    if (child instanceof Y.XmlElement && child.nodeName === 'paragraph') {
      const text = child.toArray()[0]
      if (text instanceof Y.XmlText) return text
      const created = new Y.XmlText()
      child.insert(0, [created])
      return created
    }
  }
  throw new Error('clause has no paragraph')
}
