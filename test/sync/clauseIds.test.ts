import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { clauseIdOf, listClauses } from '../../shared/clauses/clauseText.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>
beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

function newClause(id: string, title: string): Y.XmlElement {
  const clause = new Y.XmlElement('clause')
  clause.setAttribute('id', id)
  clause.setAttribute('kind', 'numbered')
  const heading = new Y.XmlElement('clauseHeading')
  const text = new Y.XmlText()
  text.insert(0, title)
  heading.insert(0, [text])
  clause.insert(0, [heading])
  return clause
}

const ids = (body: Y.XmlFragment) => listClauses(body).map((c) => clauseIdOf(c.element))

describe('duplicate clause ids are repaired by the server', () => {
  test('two editors who give new clauses the same id end with distinct ids, one of them keeping it', async () => {
    const a = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    const b = connectClient(server, ws.deliverable.id, ws.editor2.cookie)
    await Promise.all([a.synced(), b.synced()])
    a.provider.disconnect()
    b.provider.disconnect()
    const topLevel = a.body.length
    a.body.insert(topLevel - 1, [newClause('same-id', 'From A')])
    b.body.insert(topLevel - 1, [newClause('same-id', 'From B')])
    a.provider.connect()
    b.provider.connect()
    await waitFor(() => {
      const list = ids(a.body)
      return a.body.toString() === b.body.toString() && new Set(list).size === list.length && list.length > 0
    }, 'repaired and converged')
    const list = ids(a.body)
    expect(list.filter((id) => id === 'same-id')).toHaveLength(1)
    const titles = listClauses(a.body).filter((c) => c.title === 'From A' || c.title === 'From B')
    expect(titles).toHaveLength(2)
    expect(titles.filter((c) => c.id === 'same-id')).toHaveLength(1)
    a.destroy()
    b.destroy()
  })

  test('a pasted copy placed before its original gets the new id; the original keeps its own', async () => {
    const a = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await a.synced()
    const original = listClauses(a.body).find((c) => c.title === 'Scope')!
    const originalId = original.id
    const copyIndex = a.body.toArray().indexOf(original.element)
    a.body.insert(copyIndex, [newClause(originalId, 'Scope')])
    await waitFor(() => new Set(ids(a.body)).size === ids(a.body).length, 'repaired')
    const scopes = listClauses(a.body).filter((c) => c.title === 'Scope')
    expect(scopes).toHaveLength(2)
    expect(scopes[0]!.id).not.toBe(originalId)
    expect(scopes[1]!.element).toBe(original.element)
    expect(scopes[1]!.id).toBe(originalId)
    a.destroy()
  })

  test('a clause without an id gets one', async () => {
    const a = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await a.synced()
    const clause = new Y.XmlElement('clause')
    clause.setAttribute('kind', 'numbered')
    a.body.insert(a.body.length - 1, [clause])
    await waitFor(
      () => typeof clause.getAttribute('id') === 'string' && clause.getAttribute('id') !== '',
      'id assigned',
    )
    a.destroy()
  })
})
