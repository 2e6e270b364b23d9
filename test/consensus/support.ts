/**
 * Builders for the consensus suites: sections and actions through the HTTP API, extra clauses written by a real
 * client, Y.Doc replicas that make an edit locally, and a raw y-protocols socket that sends the diff.
 */
import * as encoding from 'lib0/encoding'
import { expect } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Section } from '../../shared/api/sections.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { decodeAccordFrame, encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import { PROTOCOL_VERSION, type ServerMessage } from '../../shared/protocol/messages.ts'
import { clause, deliverable, p } from '../support/builders.ts'
import {
  type buildWorkspace,
  createDeliverable,
  type Session,
  setDeliverableRole,
} from '../support/factories.ts'
import { connectClient, type LiveClient, rawSocket, waitFor } from '../support/syncClients.ts'
import type { TestServer } from '../support/testServer.ts'

export type Workspace = Awaited<ReturnType<typeof buildWorkspace>>

export interface HistoryEvent {
  action: string
  userId: string
  at: string
  note: string | null
  meetingId: string | null
}

/** A new deliverable of the workspace's working group, with the usual members. */
export async function newDeliverable(
  ws: Workspace,
  type: Parameters<typeof createDeliverable>[2] = 'technical-report',
) {
  const deliverable = await createDeliverable(ws.chair, ws.wg.id, type)
  await setDeliverableRole(ws.chair, deliverable.id, ws.editor.user.id, 'editor')
  await setDeliverableRole(ws.chair, deliverable.id, ws.editor2.user.id, 'editor')
  await setDeliverableRole(ws.chair, deliverable.id, ws.participant.user.id, 'participant')
  await setDeliverableRole(ws.chair, deliverable.id, ws.observer.user.id, 'observer')
  return deliverable
}

export async function sections(session: Session, deliverableId: string): Promise<Section[]> {
  const response = await session.api.get(`/api/deliverables/${deliverableId}`)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body.sections
}

export async function sectionByTitle(
  session: Session,
  deliverableId: string,
  title: string,
): Promise<Section> {
  const found = (await sections(session, deliverableId)).find((s) => s.title === title)
  if (!found) throw new Error(`no section titled ${title}`)
  return found
}

export function act(
  session: Session,
  deliverableId: string,
  sectionId: string,
  body: Record<string, unknown>,
) {
  return session.api.post(`/api/deliverables/${deliverableId}/sections/${sectionId}/actions`, body)
}

/** Takes an action that must succeed; answers the section. */
export async function must(
  session: Session,
  deliverableId: string,
  sectionId: string,
  body: Record<string, unknown>,
): Promise<Section> {
  const response = await act(session, deliverableId, sectionId, body)
  expect(response.status, `${String(body.action)}: ${JSON.stringify(response.body)}`).toBe(200)
  return response.body.section
}

export async function history(
  session: Session,
  deliverableId: string,
  sectionId: string,
): Promise<HistoryEvent[]> {
  const response = await session.api.get(`/api/deliverables/${deliverableId}/sections/${sectionId}/history`)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body.events
}

/** Proposes (editor) and agrees (chair) the section; answers the agreed section. */
export async function agree(ws: Workspace, deliverableId: string, sectionId: string): Promise<Section> {
  await must(ws.editor, deliverableId, sectionId, { action: 'propose' })
  return must(ws.chair, deliverableId, sectionId, { action: 'agree' })
}

export async function agreeByTitle(ws: Workspace, deliverableId: string, title: string): Promise<Section> {
  return agree(ws, deliverableId, (await sectionByTitle(ws.chair, deliverableId, title)).id)
}

/** Appends `count` numbered clauses (heading and one paragraph each) through a real editor's client. */
export async function appendClauses(
  server: TestServer,
  editor: Session,
  deliverableId: string,
  count: number,
  prefix = 'Extra',
): Promise<void> {
  const client = connectClient(server, deliverableId, editor.cookie, { accord: true })
  await client.synced()
  const name = prefix.toLowerCase()
  deliverable(
    ...Array.from({ length: count }, (_, i) =>
      clause({ id: `${name}${i}` }, `${prefix} ${i}`, p(`Text of ${name} clause ${i}.`)),
    ),
  ).appendTo(client.body)
  await savedAll(client)
  client.destroy()
}

/** Waits until the server acknowledged, as durable, everything this client wrote. */
export async function savedAll(client: LiveClient): Promise<void> {
  const own = () => Y.getState(client.doc.store, client.doc.clientID)
  await waitFor(
    () =>
      own() === 0 ||
      client.messages.some(
        (m) => m.type === 'saved' && (m.clocks[String(client.doc.clientID)] ?? 0) >= own(),
      ),
    'saved acknowledgement',
  )
}

/** A replica of the document as `client` has it now: edit it locally, then take `diff()`. */
export function replicaOf(client: LiveClient) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc))
  const before = Y.encodeStateVector(doc)
  return { doc, body: doc.getXmlFragment(BODY_FIELD), diff: () => Y.encodeStateAsUpdate(doc, before) }
}

export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The Accord messages among raw frames received. */
export function accordMessages(frames: Uint8Array[]): ServerMessage[] {
  return frames.map(decodeAccordFrame).filter((m) => m !== null) as ServerMessage[]
}

export type RawOutcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'refused'; reason: string; sectionIds: string[] }
  | { kind: 'saved' }
  | { kind: 'silent' }

/**
 * Sends one update over a raw socket (optionally after hello) and answers what the server did: closed it, told
 * it `refused`, or acknowledged it as saved.
 */
export async function sendRaw(
  server: TestServer,
  deliverableId: string,
  session: Session,
  update: Uint8Array,
  options: { hello?: boolean } = {},
): Promise<RawOutcome> {
  const raw = await rawSocket(server, deliverableId, session.cookie)
  let closed: { code: number; reason: string } | null = null
  void raw.closed.then((c) => {
    closed = c
  })
  if (options.hello) {
    // The raw socket holds no replica: its hello names no clientID.
    raw.socket.send(encodeAccordFrame({ type: 'hello', version: PROTOCOL_VERSION }))
    await waitFor(() => accordMessages(raw.received).some((m) => m.type === 'welcome'), 'welcome')
  }
  raw.socket.send(syncUpdateFrame(update))
  const silentAfter = Date.now() + 1500
  let outcome: RawOutcome | null = null
  await waitFor(() => {
    const messages = accordMessages(raw.received)
    const refused = messages.find((m) => m.type === 'refused')
    if (refused?.type === 'refused')
      outcome = { kind: 'refused', reason: refused.reason, sectionIds: refused.sectionIds ?? [] }
    else if (messages.some((m) => m.type === 'saved')) outcome = { kind: 'saved' }
    else if (closed) outcome = { kind: 'closed', ...(closed as { code: number; reason: string }) }
    // A plain client is told nothing when its update is accepted.
    else if (!options.hello && Date.now() > silentAfter) outcome = { kind: 'silent' }
    return outcome !== null
  }, 'the server to answer the update')
  raw.socket.close()
  return outcome!
}

/** A hello'd raw socket tells whether an update was accepted: `saved` or `refused`. */
export function sendChecked(server: TestServer, deliverableId: string, session: Session, update: Uint8Array) {
  return sendRaw(server, deliverableId, session, update, { hello: true })
}

/** The first paragraph element of a clause. */
export function paragraphOf(clause: Y.XmlElement, index = 0): Y.XmlElement {
  const paragraphs = clause
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
  const found = paragraphs[index]
  if (!found) throw new Error('clause has no such paragraph')
  return found
}

export function headingText(clause: Y.XmlElement): Y.XmlText {
  return (clause.get(0) as Y.XmlElement).get(0) as Y.XmlText
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
