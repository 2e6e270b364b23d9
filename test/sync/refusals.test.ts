import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  rawSocket,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

async function scopeText(): Promise<string> {
  const response = await ws.chair.api.get(`/api/deliverables/${ws.deliverable.id}`)
  return response.body.sections.find((s: { title: string }) => s.title === 'Scope').text
}

describe('updates from readers are refused', () => {
  for (const role of ['observer', 'participant'] as const) {
    test(`a plain y-websocket ${role} is closed with ${CLOSE_CODES.readOnly}; nobody sees the edit, nothing is stored`, async () => {
      const editor = connectClient(server, ws.deliverable.id, ws.editor.cookie)
      const reader = connectClient(server, ws.deliverable.id, ws[role].cookie)
      await Promise.all([editor.synced(), reader.synced()])
      const before = editor.body.toString()
      firstParagraphText(clauseByTitle(reader.body, 'Scope')).insert(0, `${role} sneaks in. `)
      await waitFor(() => reader.closes.length > 0, 'the reader is closed')
      expect(reader.closes[0]).toEqual({ code: CLOSE_CODES.readOnly, reason: 'read-only' })
      await new Promise((r) => setTimeout(r, 200))
      expect(editor.body.toString()).toBe(before)
      expect(await scopeText()).not.toContain('sneaks in')
      const late = connectClient(server, ws.deliverable.id, ws.chair.cookie)
      await late.synced()
      expect(late.body.toString()).toBe(before)
      for (const c of [editor, reader, late]) c.destroy()
    })
  }

  test('a client that said hello is told "read-only" and its later updates are ignored', async () => {
    const reader = connectClient(server, ws.deliverable.id, ws.observer.cookie, { accord: true })
    await reader.synced()
    await waitFor(() => reader.messages.some((m) => m.type === 'welcome'), 'welcome')
    expect(reader.messages.find((m) => m.type === 'welcome')).toMatchObject({ canEdit: false })
    firstParagraphText(clauseByTitle(reader.body, 'Scope')).insert(0, 'observer text ')
    await waitFor(() => reader.messages.some((m) => m.type === 'refused'), 'refusal')
    expect(reader.messages.find((m) => m.type === 'refused')).toMatchObject({ reason: 'read-only' })
    expect(reader.closes).toEqual([])
    expect(await scopeText()).not.toContain('observer text')
    reader.destroy()
  })
})

describe('updates that would go pending are refused', () => {
  test('an update with a clock gap is refused and never reaches a new client', async () => {
    const editor = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await editor.synced()
    const local = new Y.Doc()
    Y.applyUpdate(local, Y.encodeStateAsUpdate(editor.doc))
    const text = firstParagraphText(clauseByTitle(local.getXmlFragment('body'), 'Scope'))
    const before = Y.encodeStateVector(local)
    text.insert(0, 'first ')
    const middle = Y.encodeStateVector(local)
    text.insert(0, 'GAPPED ')
    const second = Y.encodeStateAsUpdate(local, middle)
    expect(Y.encodeStateAsUpdate(local, before).length).toBeGreaterThan(0)

    const raw = await rawSocket(server, ws.deliverable.id, ws.editor.cookie)
    raw.socket.send(syncUpdateFrame(second))
    const closed = await raw.closed
    expect(closed.code).toBe(CLOSE_CODES.resyncRequired)
    const late = connectClient(server, ws.deliverable.id, ws.chair.cookie)
    await late.synced()
    expect(late.body.toString()).not.toContain('GAPPED')
    expect(Y.encodeStateAsUpdate(late.doc).length).toBeGreaterThan(0)
    const pending = (late.doc.store as unknown as { pendingStructs: unknown }).pendingStructs
    expect(pending).toBeNull()
    for (const c of [editor, late]) c.destroy()
  })

  test('an update that references content the server never saw is refused', async () => {
    const editor = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await editor.synced()
    const unseen = new Y.Doc()
    Y.applyUpdate(unseen, Y.encodeStateAsUpdate(editor.doc))
    firstParagraphText(clauseByTitle(unseen.getXmlFragment('body'), 'Scope')).insert(0, 'never sent ')
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(unseen))
    const sv = Y.encodeStateVector(other)
    firstParagraphText(clauseByTitle(other.getXmlFragment('body'), 'Scope')).insert(3, 'DANGLING')
    const dangling = Y.encodeStateAsUpdate(other, sv)

    const raw = await rawSocket(server, ws.deliverable.id, ws.editor.cookie)
    raw.socket.send(syncUpdateFrame(dangling))
    expect((await raw.closed).code).toBe(CLOSE_CODES.resyncRequired)
    const late = connectClient(server, ws.deliverable.id, ws.chair.cookie)
    await late.synced()
    expect(late.body.toString()).not.toContain('DANGLING')
    expect(late.body.toString()).not.toContain('never sent')
    for (const c of [editor, late]) c.destroy()
  })
})
