import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { abbreviation, clause, definition, deliverable, note, p } from '../../test/support/builders.ts'
import { afterNotes, tabTarget } from './fieldNavigation.ts'

const doc = deliverable(
  clause(
    'Terms defined here',
    p('This Technical Specification defines the following terms:'),
    definition('avatar', 'A representation of a user.', 'b-ITU-T F.748.16'),
    note('An avatar can be a robot.'),
    note('An avatar can be a video.'),
    definition('metaverse', 'An ecosystem of virtual worlds.'),
    p('Closing remark.'),
    note('A NOTE on the remark.'),
  ),
  clause('Abbreviations', abbreviation('AR', 'Augmented Reality')),
).node()

/** The position inside the first text block whose text is `text` (at its start). */
function inside(text: string): number {
  let found = -1
  doc.descendants((node: ProseMirrorNode, pos: number) => {
    if (found < 0 && node.isTextblock && node.textContent === text) found = pos + 1
    return found < 0
  })
  if (found < 0) throw new Error(`no text block reads ${text}`)
  return found
}
/** Which text block a position is at the end of. */
function fieldAt(pos: number | 'edge' | null): string {
  if (typeof pos !== 'number') return String(pos)
  const $pos = doc.resolve(pos)
  expect($pos.parentOffset).toBe($pos.parent.content.size)
  return `${$pos.parent.type.name}: ${$pos.parent.textContent}`
}
const tab = (from: string, direction: 1 | -1 = 1) => fieldAt(tabTarget(doc.resolve(inside(from)), direction))

describe('Tab between the fields of entries', () => {
  it('goes to the end of the next field, then to the first field of the next entry, past the NOTEs', () => {
    expect(tab('avatar')).toBe('definitionSource: b-ITU-T F.748.16')
    expect(tab('b-ITU-T F.748.16')).toBe('definitionText: A representation of a user.')
    expect(tab('A representation of a user.')).toBe('definitionTerm: metaverse')
  })

  it('goes back with Shift+Tab, to the last field of the entry before', () => {
    expect(tab('metaverse', -1)).toBe('definitionText: A representation of a user.')
    expect(tab('b-ITU-T F.748.16', -1)).toBe('definitionTerm: avatar')
  })

  it('moves on from an entry NOTE as from its entry', () => {
    expect(tab('An avatar can be a robot.')).toBe('definitionTerm: metaverse')
    expect(tab('An avatar can be a video.', -1)).toBe('definitionText: A representation of a user.')
  })

  it('stops at the ends of a run of entries', () => {
    expect(tab('avatar', -1)).toBe('edge')
    expect(tab('An ecosystem of virtual worlds.')).toBe('edge')
    expect(tab('Augmented Reality')).toBe('edge')
  })

  it('leaves Tab alone outside entries and their NOTEs', () => {
    expect(tab('Closing remark.')).toBe('null')
    expect(tab('A NOTE on the remark.')).toBe('null')
    expect(tab('Terms defined here')).toBe('null')
  })
})

describe('the NOTEs of an entry', () => {
  it('end where the next block starts', () => {
    const afterAvatar = doc.resolve(inside('avatar')).after(2)
    const metaverse = doc.resolve(afterNotes(doc, afterAvatar)).nodeAfter
    expect(metaverse?.textContent).toBe('metaverseAn ecosystem of virtual worlds.')
    const afterMetaverse = doc.resolve(inside('metaverse')).after(2)
    expect(afterNotes(doc, afterMetaverse)).toBe(afterMetaverse)
  })
})
