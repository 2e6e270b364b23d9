import { describe, expect, it } from 'vitest'
import { clause, deliverable, p } from '../../test/support/builders.ts'
import { lockedTerritories, touchesTerritory } from './lockGuard.ts'

const doc = deliverable(
  clause({ id: 'agreed' }, 'Agreed', p('Locked text.'), clause({ id: 'child' }, 'Child', p('Free text.'))),
).node()

function positionOf(needle: string): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.includes(needle)) found = pos + node.text.indexOf(needle)
  })
  return found
}

describe('the lock guard', () => {
  const territories = lockedTerritories(doc, new Set(['agreed']))

  it('blocks typing in an agreed clause’s own text', () => {
    const at = positionOf('Locked')
    expect(touchesTerritory(territories, at, at)).toBe(true)
  })

  it('lets a sub-clause of an agreed clause be edited', () => {
    const at = positionOf('Free')
    expect(touchesTerritory(territories, at, at + 4)).toBe(false)
  })

  it('blocks deleting the sub-clause as a whole (that changes the agreed clause)', () => {
    const child = doc.child(0).child(2)
    const start = 1 + doc.child(0).child(0).nodeSize + doc.child(0).child(1).nodeSize
    expect(child.attrs.id).toBe('child')
    expect(touchesTerritory(territories, start, start + child.nodeSize)).toBe(true)
  })

  it('has nothing to guard without locks', () => {
    expect(lockedTerritories(doc, new Set())).toEqual([])
  })
})
