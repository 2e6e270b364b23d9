/**
 * Accepting or rejecting all open suggestions of a section at once (docs/API.md "Comments and suggestions"):
 * editors and chairs, as the policy says; accepting applies them oldest first as one edit by the acceptor, or
 * refuses with the reason and changes nothing when one of them no longer applies.
 */
import { afterAll, describe, expect, test } from 'vitest'
import type * as Y from 'yjs'
import { clauseOwnText } from '../../shared/clauses/clauseText.ts'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { must, newDeliverable, sectionByTitle } from '../consensus/support.ts'
import type { Session } from '../support/factories.ts'
import { clauseByTitle, connectClient, type LiveClient, waitFor } from '../support/syncClients.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'
import { anchorOnWord, annotationsOf, writeParagraph } from './support.ts'

const SCOPE = 'This Technical Report describes a shared virtual space for standards work.'

const fixture = workspaceServerForFile()
const clients: LiveClient[] = []
afterAll(() => {
  for (const client of clients) client.destroy()
})

/** A deliverable whose Scope reads SCOPE, an editor's and a participant's live clients, and the participant's suggestions. */
async function scopeWithSuggestions(changes: [word: string, replacement: string][]) {
  const { id } = await newDeliverable(fixture.ws)
  const editorClient = connectClient(fixture.server, id, fixture.ws.editor.cookie, { accord: true })
  const participantClient = connectClient(fixture.server, id, fixture.ws.participant.cookie, { accord: true })
  clients.push(editorClient, participantClient)
  await Promise.all([editorClient.synced(), participantClient.synced()])
  const scope = await writeParagraph(editorClient, fixture.server, id, 'Scope', SCOPE)
  const sectionId = (await sectionByTitle(fixture.ws.chair, id, 'Scope')).id
  const ids: string[] = []
  for (const [word, replacement] of changes) {
    const made = await annotationsOf(fixture.ws.participant, id).suggest({
      sectionId,
      anchor: anchorOnWord(scope, word),
      replacement,
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    ids.push(made.body.suggestion.id)
  }
  return { id, scope, sectionId, ids, editorClient, participantClient }
}

const decideAll = (session: Session, id: string, verb: 'accept' | 'reject', body: Record<string, unknown>) =>
  session.api.post(`/api/deliverables/${id}/suggestions/${verb}-all`, body)

const live = (id: string) => fixture.server.accord!.ctx.hub.loaded(id)!
const serverScope = (id: string) => clauseOwnText(clauseByTitle(live(id).body, 'Scope'))
const replicaScope = (client: LiveClient) => clauseOwnText(clauseByTitle(client.body, 'Scope'))
const ownedBy = (id: string, userId: string) =>
  [...live(id).clientOwners().values()].filter((owner) => owner === userId).length

describe('accept all', () => {
  test('applies every open suggestion of the section, oldest first, as one edit by the editor, for every replica', async () => {
    const { id, sectionId, ids, participantClient } = await scopeWithSuggestions([
      ['shared', 'persistent'],
      ['virtual ', ''],
      ['work', 'drafting'],
    ])
    const expected = 'This Technical Report describes a persistent space for standards drafting.'
    const editorClientIds = ownedBy(id, fixture.ws.editor.user.id)
    const messagesBefore = participantClient.messages.length

    const answer = await decideAll(fixture.ws.editor, id, 'accept', { sectionId })
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body.suggestions.map((s: { id: string }) => s.id)).toEqual(ids)
    for (const suggestion of answer.body.suggestions)
      expect(suggestion).toMatchObject({ status: 'accepted', decidedBy: fixture.ws.editor.user.id })
    expect(serverScope(id)).toBe(expected)
    // One edit: one fresh clientID of the editor's wrote all three changes.
    expect(ownedBy(id, fixture.ws.editor.user.id)).toBe(editorClientIds + 1)
    await waitFor(() => replicaScope(participantClient) === expected, 'the participant’s replica to change')
    // The decisions reach others in one message.
    await waitFor(
      () =>
        participantClient.messages
          .slice(messagesBefore)
          .some((m: ServerMessage) => m.type === 'annotations' && m.suggestions.length === 3),
      'one annotations message with the three decisions',
    )
    expect((await annotationsOf(fixture.ws.participant, id).suggestions()).map((s) => s.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ])
    const again = await decideAll(fixture.ws.editor, id, 'accept', { sectionId })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('no_open_suggestions')
    expect(serverScope(id)).toBe(expected)
  })

  test('participants and observers may not; an unknown section is 404; nothing changes', async () => {
    const { id, sectionId } = await scopeWithSuggestions([['shared', 'persistent']])
    expect((await decideAll(fixture.ws.participant, id, 'accept', { sectionId })).status).toBe(403)
    expect((await decideAll(fixture.ws.observer, id, 'reject', { sectionId })).status).toBe(403)
    expect((await decideAll(fixture.ws.outsider, id, 'accept', { sectionId })).status).toBe(404)
    expect((await decideAll(fixture.ws.editor, id, 'accept', { sectionId: 'no-such-section' })).status).toBe(
      404,
    )
    expect((await decideAll(fixture.ws.editor, id, 'accept', {})).status).toBe(400)
    expect(serverScope(id)).toBe(SCOPE)
    expect((await annotationsOf(fixture.ws.editor, id).suggestions())[0]).toMatchObject({ status: 'open' })
  })

  test('when one no longer applies (its text was edited since) the reason is given and nothing changes', async () => {
    const { id, sectionId, scope } = await scopeWithSuggestions([
      ['shared', 'persistent'],
      ['standards', 'ITU-T'],
    ])
    const at = SCOPE.indexOf('standards')
    scope.insert(at + 1, 'X')
    const edited = `${SCOPE.slice(0, at + 1)}X${SCOPE.slice(at + 1)}`
    await waitFor(() => serverScope(id) === edited, 'the server to hold the edit')
    const refused = await decideAll(fixture.ws.editor, id, 'accept', { sectionId })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('stale_suggestion')
    expect(refused.body.error.message).toMatch(/Suggestion 2 of 2 .*standards.*Nothing was changed/)
    expect(serverScope(id)).toBe(edited)
    expect((await annotationsOf(fixture.ws.editor, id).suggestions()).map((s) => s.status)).toEqual([
      'open',
      'open',
    ])
  })

  test('overlapping suggestions: the second no longer applies once the first is, so nothing changes', async () => {
    const { id, sectionId } = await scopeWithSuggestions([
      ['shared', 'persistent'],
      ['shared virtual', 'common'],
    ])
    const refused = await decideAll(fixture.ws.editor, id, 'accept', { sectionId })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(/Suggestion 2 of 2/)
    expect(serverScope(id)).toBe(SCOPE)
  })

  test('on an agreed section: refused until reopened; a chair reopens and applies all in one step', async () => {
    const { id, sectionId, scope } = await scopeWithSuggestions([])
    await must(fixture.ws.chair, id, sectionId, { action: 'propose' })
    await must(fixture.ws.chair, id, sectionId, { action: 'agree' })
    const participant = annotationsOf(fixture.ws.participant, id)
    for (const [word, replacement] of [
      ['shared', 'persistent'],
      ['work', 'drafting'],
    ] as const)
      await participant.suggest({ sectionId, anchor: anchorOnWord(scope as Y.XmlText, word), replacement })
    const refused = await decideAll(fixture.ws.editor, id, 'accept', { sectionId })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('section_locked')
    expect(serverScope(id)).toBe(SCOPE)
    expect((await participant.suggestions()).every((s) => s.status === 'open')).toBe(true)

    const both = await decideAll(fixture.ws.chair, id, 'accept', {
      sectionId,
      reopenNote: 'Meeting 4 accepted both changes.',
    })
    expect(both.status, JSON.stringify(both.body)).toBe(200)
    expect(serverScope(id)).toBe(SCOPE.replace('shared', 'persistent').replace('work', 'drafting'))
    expect((await sectionByTitle(fixture.ws.chair, id, 'Scope')).status).toBe('draft')
  })
})

describe('reject all', () => {
  test('rejects every open suggestion, changes no text, and the section can then be agreed', async () => {
    const { id, sectionId } = await scopeWithSuggestions([
      ['shared', 'persistent'],
      ['work', 'drafting'],
    ])
    await must(fixture.ws.chair, id, sectionId, { action: 'propose' })
    const answer = await decideAll(fixture.ws.chair, id, 'reject', { sectionId })
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body.suggestions.map((s: { status: string }) => s.status)).toEqual(['rejected', 'rejected'])
    expect(serverScope(id)).toBe(SCOPE)
    expect((await must(fixture.ws.chair, id, sectionId, { action: 'agree' })).status).toBe('agreed')
  })
})
