/**
 * The decision record survives a crash (SYNC.md §5): every acknowledged action is there after SIGKILL and a
 * restart, the statuses are the same, and the locks are restored before any client reaches the document.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Section } from '../../shared/api/sections.ts'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  type HistoryEvent,
  must,
  replicaOf,
  sectionByTitle,
  sections,
  sendChecked,
  sendRaw,
  type Workspace,
} from './support.ts'

let server: TestServer
let ws: Workspace

beforeAll(async () => {
  server = await startTestServer({ childProcess: true })
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

async function histories(id: string, all: Section[]): Promise<Record<string, HistoryEvent[]>> {
  const entries = await Promise.all(
    all.map(async (s) => {
      const response = await ws.chair.api.get(`/api/deliverables/${id}/sections/${s.id}/history`)
      return [s.id, response.body.events] as const
    }),
  )
  return Object.fromEntries(entries)
}

/** Makes an edit on a replica of the present document and sends it from a raw socket. */
async function edit(id: string, title: string, options: { hello: boolean }) {
  const reader = connectClient(server, id, ws.chair.cookie)
  await reader.synced()
  const replica = replicaOf(reader)
  firstParagraphText(clauseByTitle(replica.body, title)).insert(0, 'After the crash. ')
  reader.destroy()
  return options.hello
    ? sendChecked(server, id, ws.editor, replica.diff())
    : sendRaw(server, id, ws.editor, replica.diff())
}

describe('after SIGKILL and a restart', () => {
  test('the decision record, the statuses and the locks are all restored', async () => {
    const id = ws.deliverable.id
    const scope = await sectionByTitle(ws.chair, id, 'Scope')
    await must(ws.editor, id, scope.id, { action: 'propose' })
    const objected = await must(ws.participant, id, scope.id, {
      action: 'object',
      note: 'Too broad.',
      suggestion: 'Limit it to virtual worlds.',
    })
    await must(ws.participant, id, scope.id, {
      action: 'withdraw-objection',
      objectionId: objected.objections[0]!.id,
    })
    await must(ws.chair, id, scope.id, { action: 'agree', textHash: objected.hash })

    const overview = await sectionByTitle(ws.chair, id, 'Overview')
    await must(ws.editor, id, overview.id, { action: 'propose' })
    await must(ws.chair, id, overview.id, { action: 'agree' })
    await must(ws.chair, id, overview.id, { action: 'reopen', note: 'WG2 sent new text.' })

    const framework = await sectionByTitle(ws.chair, id, 'Technical framework')
    await must(ws.editor, id, framework.id, { action: 'propose' })
    await must(ws.participant, id, framework.id, { action: 'object', note: 'Missing layer.' })

    const before = await sections(ws.chair, id)
    const recordBefore = await histories(id, before)
    expect(recordBefore[scope.id]!.map((e) => e.action)).toEqual([
      'propose',
      'object',
      'withdraw-objection',
      'agree',
    ])

    await server.kill()
    await server.restart()

    const after = await sections(ws.chair, id)
    expect(after).toEqual(before)
    expect(await histories(id, after)).toEqual(recordBefore)
    expect(after.find((s) => s.id === scope.id)?.status).toBe('agreed')
    expect(after.find((s) => s.id === overview.id)?.status).toBe('draft')
    expect(after.find((s) => s.id === framework.id)).toMatchObject({
      status: 'proposed',
      objections: [{ note: 'Missing layer.', open: true }],
    })

    expect(await edit(id, 'Scope', { hello: false })).toEqual({
      kind: 'closed',
      code: CLOSE_CODES.sectionLocked,
      reason: 'section-locked',
    })
    expect(await edit(id, 'Scope', { hello: true })).toEqual({
      kind: 'refused',
      reason: 'section-locked',
      sectionIds: [scope.id],
    })
    expect(await sectionByTitle(ws.chair, id, 'Scope')).toEqual(before.find((s) => s.id === scope.id))
    expect(await edit(id, 'Overview', { hello: true })).toEqual({ kind: 'saved' })
    expect((await sectionByTitle(ws.chair, id, 'Overview')).text).toMatch(/^After the crash\. /)

    // The restored lock is an ordinary one: a reopen after the restart lifts it.
    await must(ws.chair, id, scope.id, { action: 'reopen', note: 'Reopened after the restart.' })
    expect(await edit(id, 'Scope', { hello: true })).toEqual({ kind: 'saved' })
  })

  test('required clauses are still protected after a restart', async () => {
    const id = ws.deliverable.id
    await server.kill()
    await server.restart()
    const references = await sectionByTitle(ws.chair, id, 'References')
    const reader = connectClient(server, id, ws.chair.cookie)
    await reader.synced()
    const replica = replicaOf(reader)
    const clause = clauseByTitle(replica.body, 'References')
    replica.body.delete(replica.body.toArray().indexOf(clause), 1)
    reader.destroy()
    expect(await sendChecked(server, id, ws.editor, replica.diff())).toEqual({
      kind: 'refused',
      reason: 'section-locked',
      sectionIds: [references.id],
    })
  })
})
