/**
 * What a joining client is sent. The server keeps the whole-document answer and the clause list between changes
 * (a room joining together costs one encoding); a join after a change must still see that change.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { SectionState } from '../../shared/protocol/messages.ts'
import { appendClauses } from '../consensus/support.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server.stop())

async function join(cookie: string) {
  const client = connectClient(server, ws.deliverable.id, cookie, { accord: true })
  await client.synced()
  await waitFor(() => client.messages.some((m) => m.type === 'consensus'), 'consensus state')
  const consensus = client.messages.find((m) => m.type === 'consensus') as { sections: SectionState[] }
  return { client, sections: consensus.sections }
}

describe('joining a live deliverable', () => {
  test('clients joining one after another get the same document; a join after a change gets the change', async () => {
    const first = await join(ws.observer.cookie)
    const second = await join(ws.observer.cookie)
    expect(second.client.body.toString()).toBe(first.client.body.toString())
    expect(second.sections.map((s) => s.id)).toEqual(first.sections.map((s) => s.id))

    const editor = connectClient(server, ws.deliverable.id, ws.editor.cookie)
    await editor.synced()
    firstParagraphText(clauseByTitle(editor.body, 'Scope')).insert(0, 'Changed between joins. ')
    await waitFor(() => first.client.body.toString().includes('Changed between joins.'), 'edit relayed')
    const third = await join(ws.observer.cookie)
    expect(third.client.body.toString()).toContain('Changed between joins.')

    await appendClauses(server, ws.editor, ws.deliverable.id, 2, 'Joined')
    const fourth = await join(ws.observer.cookie)
    expect(fourth.sections.map((s) => s.id)).toEqual([
      ...first.sections.map((s) => s.id),
      'joined0',
      'joined1',
    ])
    for (const c of [first, second, third, fourth]) c.client.destroy()
    editor.destroy()
  })
})
