/**
 * The server says which clauses are required (2 to 5, never removed), in the API's sections and in the state a
 * client gets on hello; it knows them by their elements' Yjs item ids, so a title means nothing to it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type * as Y from 'yjs'
import type { SectionState } from '../../shared/protocol/messages.ts'
import { clause, deliverable, p } from '../support/builders.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { newDeliverable, savedAll, sections, type Workspace } from './support.ts'

let server: TestServer
let ws: Workspace

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

describe('required clauses', () => {
  test('are clauses 2 to 5 of a new deliverable, and nothing else', async () => {
    const all = await sections(ws.chair, ws.deliverable.id)
    expect(all.filter((s) => s.required).map((s) => s.number)).toEqual(['2', '3', '4', '5'])
  })

  test('are the same in the consensus state a client gets on hello', async () => {
    const client = connectClient(server, ws.deliverable.id, ws.observer.cookie, { accord: true })
    await client.synced()
    await waitFor(() => client.messages.some((m) => m.type === 'consensus'), 'consensus state')
    const told = client.messages.find((m) => m.type === 'consensus') as { sections: SectionState[] }
    const all = await sections(ws.chair, ws.deliverable.id)
    expect(told.sections.map((s) => [s.id, s.required])).toEqual(all.map((s) => [s.id, s.required]))
    client.destroy()
  })

  test('stay required under another title, and a clause titled like one is not', async () => {
    const { id } = await newDeliverable(ws)
    const client = connectClient(server, id, ws.editor.cookie, { accord: true })
    await client.synced()
    const heading = clauseByTitle(client.body, 'Conventions').get(0) as Y.XmlElement
    client.doc.transact(() => (heading.get(0) as Y.XmlText).insert(0, 'Notation and '))
    deliverable(clause({ id: 'look-alike' }, 'References', p('Not the real one.'))).appendTo(client.body)
    await savedAll(client)
    client.destroy()

    const all = await sections(ws.chair, id)
    expect(all.find((s) => s.title === 'Notation and Conventions')?.required).toBe(true)
    expect(all.find((s) => s.id === 'look-alike')?.required).toBe(false)
    expect(all.filter((s) => s.required).map((s) => s.number)).toEqual(['2', '3', '4', '5'])
  })
})
