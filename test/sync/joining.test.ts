/**
 * What a joining client is sent. The server keeps the whole-document answer and the clause list between changes
 * (a room joining together costs one encoding); a join after a change must still see that change.
 */
import { describe, expect, test } from 'vitest'
import type { SectionState } from '../../shared/protocol/messages.ts'
import { appendClauses } from '../consensus/support.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'

const f = workspaceServerForFile()

async function join(cookie: string) {
  const client = connectClient(f.server, f.ws.deliverable.id, cookie, { accord: true })
  await client.synced()
  await waitFor(() => client.messages.some((m) => m.type === 'consensus'), 'consensus state')
  const consensus = client.messages.find((m) => m.type === 'consensus') as { sections: SectionState[] }
  return { client, sections: consensus.sections }
}

describe('joining a live deliverable', () => {
  test('clients joining one after another get the same document; a join after a change gets the change', async () => {
    const first = await join(f.ws.observer.cookie)
    const second = await join(f.ws.observer.cookie)
    expect(second.client.body.toString()).toBe(first.client.body.toString())
    expect(second.sections.map((s) => s.id)).toEqual(first.sections.map((s) => s.id))

    const editor = connectClient(f.server, f.ws.deliverable.id, f.ws.editor.cookie)
    await editor.synced()
    firstParagraphText(clauseByTitle(editor.body, 'Scope')).insert(0, 'Changed between joins. ')
    await waitFor(() => first.client.body.toString().includes('Changed between joins.'), 'edit relayed')
    const third = await join(f.ws.observer.cookie)
    expect(third.client.body.toString()).toContain('Changed between joins.')

    await appendClauses(f.server, f.ws.editor, f.ws.deliverable.id, 2, 'Joined')
    const fourth = await join(f.ws.observer.cookie)
    expect(fourth.sections.map((s) => s.id)).toEqual([
      ...first.sections.map((s) => s.id),
      'joined0',
      'joined1',
    ])
    for (const c of [first, second, third, fourth]) c.client.destroy()
    editor.destroy()
  })
})
