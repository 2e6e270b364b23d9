import { describe, expect, it } from 'vitest'
import { noteText, typedHeading } from './typedText.ts'

describe('headings typed with their clause number', () => {
  it.each([
    ['3.2.1 Foo', { title: 'Foo', number: '3.2.1', kind: null, depth: 3 }],
    ['6 Requirements', { title: 'Requirements', number: '6', kind: null, depth: 1 }],
    ['6.\u00a0Requirements', { title: 'Requirements', number: '6', kind: null, depth: 1 }],
    ['Annex A – Bar', { title: 'Bar', number: 'Annex A', kind: 'annex', depth: 1 }],
    ['Annex B: Security', { title: 'Security', number: 'Annex B', kind: 'annex', depth: 1 }],
    ['Appendix II Use cases', { title: 'Use cases', number: 'Appendix II', kind: 'appendix', depth: 1 }],
    ['A.1 Profiles', { title: 'Profiles', number: 'A.1', kind: null, depth: 2 }],
    ['I.2.3 Example', { title: 'Example', number: 'I.2.3', kind: null, depth: 3 }],
  ])('%s keeps the title and tells the number', (typed, expected) => {
    expect(typedHeading(typed)).toEqual(expected)
  })

  it.each(['5G requirements', '3D models', 'Scope', 'A quick overview', '2023 roadmap for virtual worlds'])(
    '%s has no typed number',
    (typed) => {
      expect(typedHeading(typed).number).toBeNull()
      expect(typedHeading(typed).title).toBe(typed)
    },
  )

  it('marks Summary, Keywords and Bibliography as unnumbered', () => {
    expect(typedHeading('Bibliography').kind).toBe('unnumbered')
  })
})

describe('notes typed with their label', () => {
  it.each([
    ['NOTE – A metaverse can be virtual.', 'A metaverse can be virtual.'],
    ['NOTE 2 – Second note.', 'Second note.'],
    ['NOTE - typed with a hyphen', 'typed with a hyphen'],
    ['NOTE—no spaces', 'no spaces'],
  ])('%s is a note', (typed, text) => {
    expect(noteText(typed)).toBe(text)
  })

  it.each(['Note that this is text.', 'NOTES are kept', 'A NOTE – inside a sentence'])(
    '%s is not',
    (typed) => {
      expect(noteText(typed)).toBeNull()
    },
  )
})
