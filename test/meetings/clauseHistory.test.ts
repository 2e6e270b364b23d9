/**
 * The clause history (GET .../sections/:sectionId/history) lists, beside the decisions of the contract's `events`
 * (unchanged), the contributions that proposed to change the clause with their meeting and disposition, and the
 * suggestions made on it: who suggested what and when, who accepted or rejected it and when.
 */
import { afterAll, expect, test } from 'vitest'
import { anchorOnWord, annotationsOf, writeParagraph } from '../annotations/support.ts'
import { connectClient, type LiveClient } from '../support/syncClients.ts'
import { agreeSection, meetingOn, serverWithWorkspace } from './support.ts'

const ctx = serverWithWorkspace()
const clients: LiveClient[] = []
afterAll(() => {
  for (const client of clients) client.destroy()
})

test('decisions, contributions with their meeting and disposition, suggestions with who decided them', async () => {
  const m = await meetingOn(ctx.base)
  const scope = m.sections.find((s) => s.title === 'Scope')!
  const other = m.sections.find((s) => s.title !== 'Scope' && /^\d+$/.test(s.number))!
  const meetings = `/api/meetings/${m.meetingId}`
  expect((await m.chair.api.post(`${meetings}/open`)).status).toBe(200)
  const register = async (number: string, sectionId: string) => {
    const answer = await m.participant.api.post(`${meetings}/contributions`, {
      number,
      title: `Changes to ${number}`,
      sources: ['ETRI'],
      targets: [{ deliverableId: m.deliverable.id, sectionId }],
    })
    expect(answer.status, JSON.stringify(answer.body)).toBe(201)
    return answer.body.contribution.id as string
  }
  const onScope = await register('FGMV-I-301', scope.id)
  await register('FGMV-I-302', other.id)
  const disposed = await m.chair.api.post(`${meetings}/contributions/${onScope}/disposition`, {
    disposition: 'agreed-with-modifications',
    note: 'NOTE 2 kept',
  })
  expect(disposed.status).toBe(200)

  const editor = connectClient(ctx.server, m.deliverable.id, m.editor.cookie, { accord: true })
  clients.push(editor)
  await editor.synced()
  const text = await writeParagraph(
    editor,
    ctx.server,
    m.deliverable.id,
    'Scope',
    'This Technical Report describes a shared space for standards work.',
  )
  const asParticipant = annotationsOf(m.participant, m.deliverable.id)
  const asEditor = annotationsOf(m.editor, m.deliverable.id)
  const suggest = async (word: string, replacement: string) => {
    const answer = await asParticipant.suggest({
      sectionId: scope.id,
      anchor: anchorOnWord(text, word),
      replacement,
    })
    expect(answer.status, JSON.stringify(answer.body)).toBe(201)
    return answer.body.suggestion.id as string
  }
  const accepted = await suggest('shared', 'persistent')
  const rejected = await suggest('standards', 'ITU')
  expect((await asEditor.decide(accepted, 'accept')).status).toBe(200)
  expect((await asEditor.decide(rejected, 'reject')).status).toBe(200)
  await agreeSection(m, scope.id, 'Agreed with FGMV-I-301')

  const history = await m.observer.api.get(
    `/api/deliverables/${m.deliverable.id}/sections/${scope.id}/history`,
  )
  expect(history.status).toBe(200)
  // The contract's events, as before: the decisions only, oldest first, in the meeting.
  expect(history.body.events.map((e: { action: string }) => e.action)).toEqual(['propose', 'agree'])
  expect(history.body.events[1]).toMatchObject({
    userId: m.chair.user.id,
    note: 'Agreed with FGMV-I-301',
    meetingId: m.meetingId,
  })
  expect(history.body.contributions).toEqual([
    {
      meetingId: m.meetingId,
      meetingTitle: 'Third meeting',
      contributionId: onScope,
      number: 'FGMV-I-301',
      title: 'Changes to FGMV-I-301',
      registeredAt: expect.any(String),
      disposition: {
        kind: 'agreed-with-modifications',
        note: 'NOTE 2 kept',
        userId: m.chair.user.id,
        at: expect.any(String),
      },
    },
  ])
  expect(history.body.suggestions).toEqual([
    expect.objectContaining({
      id: accepted,
      authorId: m.participant.user.id,
      original: 'shared',
      replacement: 'persistent',
      status: 'accepted',
      decidedBy: m.editor.user.id,
      decidedAt: expect.any(String),
    }),
    expect.objectContaining({
      id: rejected,
      original: 'standards',
      replacement: 'ITU',
      status: 'rejected',
      decidedBy: m.editor.user.id,
    }),
  ])
  // Another clause's history names neither.
  const elsewhere = await m.observer.api.get(
    `/api/deliverables/${m.deliverable.id}/sections/${other.id}/history`,
  )
  expect(elsewhere.body.contributions.map((c: { number: string }) => c.number)).toEqual(['FGMV-I-302'])
  expect(elsewhere.body.suggestions).toEqual([])
})
