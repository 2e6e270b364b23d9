import { describe, expect, it } from 'vitest'
import { wordDiff } from '../../shared/clauses/wordDiff.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'
import type { OutlineRow } from '../editor/outline.ts'
import { clauseActions, objectionActions } from './actionOptions.ts'
import { clauseLabel, describeChange, draftClause, progressOf } from './clauseConsensus.ts'
import { filterOutline, NO_FILTER } from './outlineFilter.ts'

const clause = (
  status: SectionState['status'],
  objections: SectionState['objections'] = [],
): SectionState => ({
  ...draftClause('c1'),
  status,
  objections,
})
const objection = (id: string, userId: string, open = true) => ({
  id,
  userId,
  note: 'no',
  suggestion: null,
  open,
})
const chair = { propose: true, object: true, agree: true, reopen: true, 'dismiss-objection': true }
const participant = { object: true, 'withdraw-objection': true }

describe('clause actions', () => {
  it('offer only what the role allows, and say why the state forbids the rest', () => {
    const options = clauseActions(chair, clause('draft'), { userId: 'u', synced: true })
    expect(options.map((o) => o.action)).toEqual(['propose', 'object', 'agree', 'reopen'])
    expect(options.find((o) => o.action === 'propose')?.blocked).toBeNull()
    expect(options.find((o) => o.action === 'agree')?.blocked).toMatch(/Only a proposed clause/)
    expect(clauseActions(participant, clause('proposed'), { userId: 'u', synced: true })).toEqual([
      { action: 'object', blocked: null },
    ])
  })

  it('block agreement while an objection is open or the text is not yet synced', () => {
    const open = clause('proposed', [objection('o1', 'p')])
    expect(clauseActions({ agree: true }, open, { userId: 'u', synced: true })[0]?.blocked).toMatch(
      /open objections/,
    )
    const unsynced = clauseActions({ agree: true }, clause('proposed'), { userId: 'u', synced: false })
    expect(unsynced[0]?.blocked).toMatch(/latest text/)
  })

  it('let only the author withdraw and a chair dismiss an open objection', () => {
    const state = clause('proposed', [objection('o1', 'p')])
    const mine = objectionActions(participant, state, state.objections[0]!, 'p')
    expect(mine.withdraw?.blocked).toBeNull()
    expect(mine.dismiss).toBeNull()
    expect(objectionActions(participant, state, state.objections[0]!, 'q').withdraw).toBeNull()
    expect(objectionActions(chair, state, state.objections[0]!, 'c').dismiss?.blocked).toBeNull()
  })
})

describe('announcements', () => {
  it('say status changes and objections in one sentence', () => {
    expect(describeChange(clause('proposed'), clause('agreed'), 'Clause 3.2')).toBe('Clause 3.2 agreed')
    expect(describeChange(clause('agreed'), clause('draft'), 'Annex A')).toBe('Annex A reopened')
    expect(describeChange(clause('proposed'), clause('proposed', [objection('o', 'p')]), 'Clause 1')).toBe(
      'Objection raised on clause 1',
    )
    const closed = { ...objection('o', 'p', false), closedBy: 'withdrawn' as const }
    expect(
      describeChange(clause('proposed', [objection('o', 'p')]), clause('proposed', [closed]), 'Clause 1'),
    ).toBe('Objection on clause 1 withdrawn')
    expect(describeChange(clause('draft'), clause('draft'), 'Clause 1')).toBeNull()
  })

  it('name clauses as printed', () => {
    expect(clauseLabel('3.2', 'Terms')).toBe('Clause 3.2')
    expect(clauseLabel('Appendix I', 'Use cases')).toBe('Appendix I')
    expect(clauseLabel('', 'Summary')).toBe('“Summary”')
  })
})

const entry = (id: string, parent: number, level: number): OutlineRow =>
  ({ id, parent, level, number: id, title: id, kind: 'numbered', path: [] }) satisfies OutlineRow

describe('outline filter', () => {
  const outline = [
    entry('1', -1, 1),
    entry('2', -1, 1),
    entry('2.1', 1, 2),
    entry('2.2', 1, 2),
    entry('3', -1, 1),
  ]
  const consensus = {
    '2.2': clause('proposed', [objection('o', 'p')]),
    '3': clause('agreed'),
  }

  it('keeps the ancestors of a match and re-links parents', () => {
    const { entries, matching } = filterOutline(outline, consensus, { ...NO_FILTER, objectionsOnly: true })
    expect(entries.map((e) => e.id)).toEqual(['2', '2.2'])
    expect(entries.map((e) => e.parent)).toEqual([-1, 0])
    expect(matching).toBe(1)
  })

  it('filters by status, unknown clauses counting as drafts', () => {
    expect(filterOutline(outline, consensus, { ...NO_FILTER, status: 'draft' }).matching).toBe(3)
    expect(
      filterOutline(outline, consensus, { ...NO_FILTER, status: 'agreed' }).entries.map((e) => e.id),
    ).toEqual(['3'])
  })

  it('counts agreed clauses among those in the document', () => {
    expect(progressOf(['1', '3'], consensus)).toEqual({ agreed: 1, total: 2 })
  })
})

describe('redline', () => {
  it('marks inserted and deleted words', () => {
    const runs = wordDiff('The platform is required to log.', 'The platform is recommended to log events.')
    expect(runs.filter((r) => r.kind === 'delete').map((r) => r.text.trim())).toEqual(['required'])
    expect(runs.filter((r) => r.kind === 'insert').map((r) => r.text.trim())).toEqual([
      'recommended',
      'events',
    ])
  })
})
