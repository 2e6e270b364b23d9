import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { clause, definition, deliverable, note, p, table } from '../../test/support/builders.ts'
import { applyEdits, planChanges, planSuggestion } from './applySuggestion.ts'

const METAVERSE =
  'An integrative ecosystem of virtual worlds offering immersive experiences to users, that modify ' +
  'pre-existing and create new value from economic, environmental, social and cultural perspectives.'

/** Clause 3.2 of the demo's definition deliverable. */
const terms = () =>
  deliverable(
    clause('Scope', p('This Technical Specification defines the term metaverse.')),
    clause(
      'Terms defined here',
      p('This Technical Specification defines the following terms:'),
      definition('metaverse', METAVERSE),
      note(
        'A metaverse can be virtual, augmented, representative of, or associated with the physical world.',
      ),
      definition(
        'virtual world',
        'A computer-simulated environment in which users interact through avatars.',
      ),
      clause('Sub-clause', p('Sub-clause text stays.')),
    ),
  ).node()

function applied(doc = terms(), id = 'terms-defined-here', suggestion: string) {
  const plan = planSuggestion(doc, id, suggestion)!
  const state = EditorState.create({ doc })
  return { plan, doc: applyEdits(state.tr, plan.edits).doc }
}

const clauseJson = (doc: ReturnType<typeof terms>, index: number) => doc.child(index).toJSON()

describe('applying a suggestion', () => {
  it('changes only the words of the passage it was made on and keeps the definitions and the NOTE', () => {
    const { plan, doc } = applied(
      undefined,
      undefined,
      'An integrative and persistent ecosystem of virtual worlds ...',
    )
    const expected = terms()
    expect(plan.passage).toContain('An integrative ecosystem')
    expect(plan.runs.filter((r) => r.kind !== 'same')).toEqual([
      { kind: 'inserted', text: 'and persistent ' },
    ])
    const after = clauseJson(doc, 1)
    const before = clauseJson(expected, 1)
    expect(after.content.map((c: { type: string }) => c.type)).toEqual(
      before.content.map((c: { type: string }) => c.type),
    )
    expect(doc.child(1).child(2).textContent).toBe(
      `metaverse${METAVERSE.replace('integrative', 'integrative and persistent')}`,
    )
    expect(doc.child(1).child(3).toJSON()).toEqual(expected.child(1).child(3).toJSON())
  })

  it('reads a suggestion of the whole clause as the whole clause, entry punctuation included', () => {
    const whole =
      'This Technical Specification defines the following terms:\n' +
      `metaverse: ${METAVERSE.replace('offering', 'that offers')}\n` +
      'NOTE – A metaverse can be virtual, augmented or associated with the physical world.\n' +
      'virtual world: A computer-simulated environment in which users interact through avatars.'
    const { plan, doc } = applied(undefined, undefined, whole)
    expect(plan.passage).toBeNull()
    const own = doc.child(1)
    expect(own.childCount).toBe(6)
    expect(own.child(2).child(1).textContent).toBe(METAVERSE.replace('offering', 'that offers'))
    expect(own.child(3).type.name).toBe('note')
    expect(own.child(3).textContent).toBe(
      'A metaverse can be virtual, augmented or associated with the physical world.',
    )
    expect(own.child(5).child(1).textContent).toBe('Sub-clause text stays.')
  })

  it('removes a block the suggestion drops with its line, and adds new lines as paragraphs or NOTEs', () => {
    const whole =
      'This Technical Specification defines the following terms:\n' +
      `metaverse: ${METAVERSE}\n` +
      'virtual world: A computer-simulated environment in which users interact through avatars.\n' +
      'NOTE – Avatars can be people or agents.'
    const { doc } = applied(undefined, undefined, whole)
    const types: string[] = []
    doc.child(1).forEach((child) => {
      types.push(child.type.name)
    })
    expect(types).toEqual(['clauseHeading', 'paragraph', 'definition', 'definition', 'note', 'clause'])
    expect(doc.child(1).child(4).textContent).toBe('Avatars can be people or agents.')
  })

  it('reads "…" as text left as it is, at the start or in the middle', () => {
    const { doc } = applied(undefined, undefined, '… virtual worlds offering shared experiences to users …')
    expect(doc.child(1).child(2).child(1).textContent).toBe(METAVERSE.replace('immersive', 'shared'))
    const middle =
      'This Technical Specification defines the following terms:\n…\n' +
      'virtual world: A computer-simulated environment in which people interact through avatars.'
    const { doc: after } = applied(undefined, undefined, middle)
    expect(after.child(1).child(2).child(1).textContent).toBe(METAVERSE)
    expect(after.child(1).child(3).type.name).toBe('note')
    expect(after.child(1).child(4).child(1).textContent).toBe(
      'A computer-simulated environment in which people interact through avatars.',
    )
  })

  it('replaces the text of a one-paragraph clause exactly', () => {
    const { doc } = applied(undefined, 'scope', 'This Report specifies the architecture only.')
    expect(doc.child(0).child(1).textContent).toBe('This Report specifies the architecture only.')
  })

  it('edits inside a table cell without touching the table', () => {
    const doc = deliverable(clause('Gaps', table(['Body', 'Gap'], [['IEEE', 'No profile']]))).node()
    const { doc: after } = applied(doc, 'gaps', 'Body\nGap\nIEEE\nNo interoperability profile')
    expect(after.child(0).child(1).type.name).toBe('table')
    expect(after.child(0).child(1).textContent).toBe('BodyGapIEEENo interoperability profile')
  })

  it('has nothing to apply when the clause already reads as suggested', () => {
    expect(
      planChanges(
        planSuggestion(terms(), 'scope', 'This Technical Specification defines the term metaverse.')!,
      ),
    ).toBe(false)
  })

  it('is null for a clause that is not in the document', () => {
    expect(planSuggestion(terms(), 'gone', 'x')).toBeNull()
  })
})
