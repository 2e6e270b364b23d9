/**
 * Suggestions (API.md "Comments and suggestions", SYNC.md §7): a participant proposes, the document does not
 * change; an editor's acceptance is an edit through the check pipeline, applied once; an agreed section takes no
 * accepted suggestion until reopened; `agree` waits until every suggestion was dealt with.
 */
import { afterAll, describe, expect, test } from 'vitest'
import type * as Y from 'yjs'
import { clauseOwnText } from '../../shared/clauses/clauseText.ts'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { must, newDeliverable, sectionByTitle } from '../consensus/support.ts'
import type { ApiResponse } from '../support/http.ts'
import { clauseByTitle, connectClient, type LiveClient, waitFor } from '../support/syncClients.ts'
import { restartOnSameData, workspaceServerForFile } from '../support/workspaceServer.ts'
import { anchorOnWord, annotationsOf, writeParagraph } from './support.ts'

const SCOPE = 'This Technical Report describes a shared virtual space for standards work.'

const fixture = workspaceServerForFile()
let editorClient: LiveClient
afterAll(() => editorClient?.destroy())

/** A fresh deliverable whose Scope reads SCOPE, written by the editor's live client. */
async function deliverableWithScope(): Promise<{
  id: string
  scope: Y.XmlText
  sectionId: string
  suggest: (word: string, replacement: string) => Promise<ApiResponse>
}> {
  const { id } = await newDeliverable(fixture.ws)
  editorClient?.destroy()
  editorClient = connectClient(fixture.server, id, fixture.ws.editor.cookie, { accord: true })
  await editorClient.synced()
  const scope = await writeParagraph(editorClient, fixture.server, id, 'Scope', SCOPE)
  const sectionId = (await sectionByTitle(fixture.ws.chair, id, 'Scope')).id
  /** The participant suggests replacing `word` of the Scope. */
  const suggest = (word: string, replacement: string) =>
    annotationsOf(fixture.ws.participant, id).suggest({
      sectionId,
      anchor: anchorOnWord(scope, word),
      replacement,
    })
  return { id, scope, sectionId, suggest }
}

const serverScope = (id: string) =>
  clauseOwnText(clauseByTitle(fixture.server.accord!.ctx.hub.loaded(id)!.body, 'Scope'))

describe('a participant suggests', () => {
  test('the suggestion is stored and pushed live; the document does not change', async () => {
    const { id, scope, sectionId } = await deliverableWithScope()
    const api = annotationsOf(fixture.ws.participant, id)
    const response = await api.suggest({
      sectionId,
      anchor: anchorOnWord(scope, 'shared'),
      replacement: 'persistent',
    })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    expect(response.body.suggestion).toMatchObject({
      sectionId,
      replacement: 'persistent',
      original: 'shared',
      authorId: fixture.ws.participant.user.id,
      status: 'open',
      removed: false,
    })
    expect(serverScope(id)).toBe(SCOPE)
    await waitFor(
      () =>
        editorClient.messages.some(
          (m: ServerMessage) =>
            m.type === 'annotations' && m.suggestions[0]?.id === response.body.suggestion.id,
        ),
      'the suggestion to reach the editor live',
    )
    expect(await annotationsOf(fixture.ws.observer, id).suggestions()).toHaveLength(1)
  })

  test('observers may not suggest; nobody may suggest outside the section’s own text', async () => {
    const { id, scope, sectionId } = await deliverableWithScope()
    const anchor = anchorOnWord(scope, 'shared')
    expect(
      (await annotationsOf(fixture.ws.observer, id).suggest({ sectionId, anchor, replacement: 'x' })).status,
    ).toBe(403)
    expect(
      (await annotationsOf(fixture.ws.outsider, id).suggest({ sectionId, anchor, replacement: 'x' })).status,
    ).toBe(404)
    const participant = annotationsOf(fixture.ws.participant, id)
    const otherSection = (await sectionByTitle(fixture.ws.chair, id, 'References')).id
    const cases: [string, Record<string, unknown>][] = [
      ['another section', { sectionId: otherSection, anchor, replacement: 'x' }],
      ['not base64', { sectionId, anchor: { start: '!!', end: '!!' }, replacement: 'x' }],
      ['not a position', { sectionId, anchor: { start: 'AAAA', end: 'AAAA' }, replacement: 'x' }],
      ['no anchor', { sectionId, replacement: 'x' }],
      ['unknown section', { sectionId: 'nope', anchor, replacement: 'x' }],
    ]
    for (const [what, body] of cases) {
      const answer = await participant.suggest(body)
      expect([400, 404], `${what}: ${JSON.stringify(answer.body)}`).toContain(answer.status)
      expect(answer.body.error.message.length, what).toBeGreaterThan(10)
    }
    expect(await participant.suggestions()).toEqual([])
    expect(serverScope(id)).toBe(SCOPE)
  })
})

describe('deciding a suggestion', () => {
  test('an editor accepts: the text changes once, for everyone, as an edit by the editor', async () => {
    const { id, scope, suggest } = await deliverableWithScope()
    const participant = annotationsOf(fixture.ws.participant, id)
    const made = await suggest('shared', 'persistent')
    const editor = annotationsOf(fixture.ws.editor, id)
    expect((await participant.decide(made.body.suggestion.id, 'accept')).status).toBe(403)
    const accepted = await editor.decide(made.body.suggestion.id, 'accept')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect(accepted.body.suggestion).toMatchObject({
      status: 'accepted',
      decidedBy: fixture.ws.editor.user.id,
    })
    const expected = SCOPE.replace('shared', 'persistent')
    expect(serverScope(id)).toBe(expected)
    await waitFor(() => scope.toString() === expected, 'the editor’s replica to receive the accepted text')
    const again = await editor.decide(made.body.suggestion.id, 'accept')
    expect(again.status).toBe(409)
    expect(serverScope(id)).toBe(expected)
  })

  test('its author grows an open suggestion (consecutive typing); nobody else may; accepting applies the grown one', async () => {
    const { id, scope, suggest } = await deliverableWithScope()
    const participant = annotationsOf(fixture.ws.participant, id)
    const editor = annotationsOf(fixture.ws.editor, id)
    const made = (await suggest('shared', 'persistent')).body.suggestion
    const grown = { anchor: anchorOnWord(scope, 'shared virtual'), replacement: 'persistent common' }
    expect((await editor.revise(made.id, grown)).status).toBe(403)
    const outside = { anchor: anchorOnWord(scope, 'shared'), replacement: 'shared' }
    expect((await participant.revise(made.id, outside)).status).toBe(400)
    const revised = await participant.revise(made.id, grown)
    expect(revised.status, JSON.stringify(revised.body)).toBe(200)
    expect(revised.body.suggestion).toMatchObject({
      id: made.id,
      original: 'shared virtual',
      replacement: 'persistent common',
      status: 'open',
    })
    expect(serverScope(id)).toBe(SCOPE)
    expect((await editor.decide(made.id, 'accept')).status).toBe(200)
    expect(serverScope(id)).toBe(SCOPE.replace('shared virtual', 'persistent common'))
    expect((await participant.revise(made.id, grown)).status).toBe(409)
  })

  test('the author withdraws; nobody else may; a rejected suggestion changes nothing', async () => {
    const { id, suggest } = await deliverableWithScope()
    const participant = annotationsOf(fixture.ws.participant, id)
    const first = await suggest('virtual', '')
    const second = await suggest('work', 'drafting')
    expect(
      (await annotationsOf(fixture.ws.editor, id).decide(first.body.suggestion.id, 'withdraw')).status,
    ).toBe(403)
    expect((await participant.decide(first.body.suggestion.id, 'withdraw')).body.suggestion.status).toBe(
      'withdrawn',
    )
    expect(
      (await annotationsOf(fixture.ws.editor, id).decide(second.body.suggestion.id, 'reject')).status,
    ).toBe(200)
    expect(serverScope(id)).toBe(SCOPE)
    expect((await participant.suggestions()).map((s) => s.status).sort()).toEqual(['rejected', 'withdrawn'])
  })

  test('text changed inside the range since: accepting is refused, nothing changes', async () => {
    const { id, scope, suggest } = await deliverableWithScope()
    const made = await suggest('shared', 'persistent')
    const edited = SCOPE.replace('shared', 'shaRed')
    scope.delete(SCOPE.indexOf('shared') + 3, 1)
    scope.insert(SCOPE.indexOf('shared') + 3, 'R')
    await waitFor(() => serverScope(id) === edited, 'the server to hold the edit')
    const accepted = await annotationsOf(fixture.ws.editor, id).decide(made.body.suggestion.id, 'accept')
    expect(accepted.status).toBe(409)
    expect(accepted.body.error.code).toBe('stale_suggestion')
    expect(serverScope(id)).toBe(edited)
  })
})

describe('suggestions inside the consensus flow', () => {
  test('agree is refused while the section has an open suggestion, allowed once it is decided', async () => {
    const { id, sectionId, suggest } = await deliverableWithScope()
    await must(fixture.ws.chair, id, sectionId, { action: 'propose' })
    const made = await suggest('standards', 'ITU-T')
    const refused = await fixture.ws.chair.api.post(`/api/deliverables/${id}/sections/${sectionId}/actions`, {
      action: 'agree',
    })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(/open suggestion/)
    expect((await sectionByTitle(fixture.ws.chair, id, 'Scope')).status).toBe('proposed')
    await annotationsOf(fixture.ws.editor, id).decide(made.body.suggestion.id, 'reject')
    expect((await must(fixture.ws.chair, id, sectionId, { action: 'agree' })).status).toBe('agreed')
  })

  test('on an agreed section a suggestion is kept but accepted only after reopening; a chair does both at once', async () => {
    const { id, sectionId, suggest } = await deliverableWithScope()
    await must(fixture.ws.chair, id, sectionId, { action: 'propose' })
    await must(fixture.ws.chair, id, sectionId, { action: 'agree' })
    const made = await suggest('shared', 'persistent')
    expect(made.status).toBe(201)
    const refused = await annotationsOf(fixture.ws.editor, id).decide(made.body.suggestion.id, 'accept')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('section_locked')
    expect(serverScope(id)).toBe(SCOPE)
    expect((await sectionByTitle(fixture.ws.chair, id, 'Scope')).status).toBe('agreed')
    const both = await annotationsOf(fixture.ws.chair, id).decide(made.body.suggestion.id, 'accept', {
      reopenNote: 'Meeting 3 accepted the participant’s wording.',
    })
    expect(both.status, JSON.stringify(both.body)).toBe(200)
    expect(serverScope(id)).toBe(SCOPE.replace('shared', 'persistent'))
    // The edit is the chair's own: its clientID belongs to the chair, who never typed in this deliverable.
    const owners = [...fixture.server.accord!.ctx.hub.loaded(id)!.clientOwners().values()]
    expect(owners).toContain(fixture.ws.chair.user.id)
    const history = await fixture.ws.chair.api.get(`/api/deliverables/${id}/sections/${sectionId}/history`)
    expect(history.body.events.map((e: { action: string }) => e.action)).toEqual([
      'propose',
      'agree',
      'reopen',
    ])
  })
})

test('suggestions and their decisions survive a restart', async () => {
  const { id, suggest } = await deliverableWithScope()
  const participant = annotationsOf(fixture.ws.participant, id)
  const open = await suggest('shared', 'common')
  const rejected = await suggest('work', 'x')
  await annotationsOf(fixture.ws.editor, id).decide(rejected.body.suggestion.id, 'reject')
  const before = await participant.suggestions()
  editorClient.destroy()
  fixture.server = await restartOnSameData(fixture.server, fixture.ws)
  const after = await annotationsOf(fixture.ws.participant, id).suggestions()
  expect(after).toEqual(before)
  expect(after.find((s) => s.id === open.body.suggestion.id)).toMatchObject({
    status: 'open',
    removed: false,
  })
})
