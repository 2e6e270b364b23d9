import { describe, expect, test } from 'vitest'
import {
  apiAction,
  everyCase,
  NOTE,
  objectionAuthor,
  type Role,
  STATUS_WORDS,
  type StatusCase,
} from '../../test/consensus/matrix.ts'
import {
  applyDecision,
  type ConsensusAction,
  type DecisionEvent,
  initialSectionConsensus,
  type SectionConsensus,
} from './consensus.ts'
import { type ActionRequest, checkAction } from './consensusInput.ts'
import { mayOnDeliverable } from './policy.ts'
import type { Deliverable, Group, User } from './types.ts'

const user = (id: string, admin = false): User => ({
  id,
  email: `${id}@example.org`,
  name: id,
  organization: 'Example Org',
  admin,
})

const USERS: Record<Role, User> = {
  admin: user('admin', true),
  chair: user('chair'),
  parentChair: user('parentChair'),
  editor: user('editor'),
  participant: user('participant'),
  observer: user('observer'),
  outsider: user('outsider'),
}

const fg: Group = { id: 'fg', name: 'FG-MV', parentId: null, members: { parentChair: 'chair' } }
const wg: Group = { id: 'wg', name: 'WG1', parentId: 'fg', members: { chair: 'chair' } }
const groups = new Map([fg, wg].map((g) => [g.id, g]))
const lookup = (id: string) => groups.get(id)

const deliverable: Deliverable = {
  id: 'd1',
  title: 'Definition of metaverse',
  type: 'technical-report',
  groupId: 'wg',
  members: { editor: 'editor', participant: 'participant', observer: 'observer' },
  createdAt: '2023-03-08T09:00:00.000Z',
}

const OBJECTION = 'obj1'

let seq = 0
function event(action: ConsensusAction, userId: string, extra: Partial<DecisionEvent> = {}): DecisionEvent {
  seq += 1
  return {
    seq,
    sectionId: 's1',
    action,
    userId,
    at: new Date(Date.UTC(2023, 2, 8, 9, seq)).toISOString(),
    note: NOTE,
    meetingId: null,
    hash: 'sha256-00',
    ...extra,
  } as DecisionEvent
}

/** The clause in a status of the table, reached by folding the decision record as the server does. */
function stateFor(status: StatusCase, author: string): SectionConsensus {
  const events: DecisionEvent[] = []
  if (status !== 'draft') {
    events.push(event('propose', 'editor'))
    events.push(event('object', author, { objectionId: OBJECTION, suggestion: null }))
    if (status !== 'objected') events.push(event('withdraw-objection', author, { objectionId: OBJECTION }))
    if (status === 'agreed') events.push(event('agree', 'chair', { item: { client: 1, clock: 0 } }))
  }
  return events.reduce(applyDecision, initialSectionConsensus())
}

/** What the server decides: the policy first (who), then the rules (when). */
function decide(role: Role, request: ActionRequest, state: SectionConsensus): string {
  if (!mayOnDeliverable(USERS[role], request.action, deliverable, lookup)) return 'forbidden'
  const verdict = checkAction(state, request)
  return verdict.ok ? 'allowed' : verdict.kind
}

describe('who may take which consensus action in which state', () => {
  for (const { role, action, status, outcome } of everyCase()) {
    test(`${role}: ${action} on ${STATUS_WORDS[status]} is ${outcome}`, () => {
      const state = stateFor(status, objectionAuthor(role, action))
      const request: ActionRequest = {
        action: apiAction(action),
        userId: USERS[role].id,
        note: NOTE,
        objectionId: OBJECTION,
      }
      expect(decide(role, request, state)).toBe(outcome)
    })
  }
})

describe('actions that need a note', () => {
  const cases: [ConsensusAction, StatusCase][] = [
    ['object', 'proposed'],
    ['dismiss-objection', 'objected'],
    ['reopen', 'agreed'],
  ]
  for (const [action, status] of cases) {
    for (const note of [undefined, '', '   ']) {
      test(`${action} with note ${JSON.stringify(note)} on ${STATUS_WORDS[status]} is invalid`, () => {
        const state = stateFor(status, 'participant')
        const request = { action, userId: 'chair', note, objectionId: OBJECTION }
        expect(decide('chair', request, state)).toBe('invalid')
      })
    }
  }

  test('withdrawing or dismissing without objectionId is invalid', () => {
    const state = stateFor('objected', 'participant')
    for (const action of ['withdraw-objection', 'dismiss-objection'] as const)
      expect(checkAction(state, { action, userId: 'participant', note: NOTE })).toMatchObject({
        ok: false,
        kind: 'invalid',
      })
  })
})

describe('folding the decision record', () => {
  test('an objection is open until withdrawn, and records who closed it how', () => {
    const objected = stateFor('objected', 'participant')
    expect(objected.objections).toEqual([
      { id: OBJECTION, userId: 'participant', note: NOTE, suggestion: null, open: true },
    ])
    const dismissed = applyDecision(objected, event('dismiss-objection', 'chair', { objectionId: OBJECTION }))
    expect(dismissed.objections[0]).toMatchObject({ open: false, closedBy: 'dismissed' })
    expect(stateFor('proposed', 'participant').objections[0]).toMatchObject({
      open: false,
      closedBy: 'withdrawn',
    })
  })

  test('agree records the locked item and content; reopen returns to draft and keeps the agreed content', () => {
    const proposed = stateFor('proposed', 'participant')
    const agreed = applyDecision(
      proposed,
      event('agree', 'chair', { hash: 'sha256-ab', content: '<clauseHeading>Scope</clauseHeading>' }),
    )
    expect(agreed.status).toBe('agreed')
    expect(agreed.agreed).toMatchObject({ hash: 'sha256-ab', by: 'chair' })
    const reopened = applyDecision(agreed, event('reopen', 'chair'))
    expect(reopened).toMatchObject({ status: 'draft', agreed: null })
    expect(reopened.lastAgreedContent).toBe('<clauseHeading>Scope</clauseHeading>')
  })

  test('the same record always folds to the same state', () => {
    const events = [
      event('propose', 'editor'),
      event('object', 'participant', { objectionId: 'x' }),
      event('dismiss-objection', 'chair', { objectionId: 'x' }),
      event('agree', 'chair'),
    ]
    const fold = () => events.reduce(applyDecision, initialSectionConsensus())
    expect(fold()).toEqual(fold())
  })
})
