import { describe, expect, it } from 'vitest'
import { consensusViewOf } from './consensusState.ts'

describe("the editor's consensus view", () => {
  it('locks exactly the agreed clauses, and marks as required only those the server says are', () => {
    const view = consensusViewOf([
      { id: 'scope', status: 'agreed', required: false },
      { id: 'references', status: 'proposed', required: true },
      { id: 'definitions', status: 'draft', required: true },
      { id: 'overview', status: 'draft', required: false },
    ])
    expect([...view.locked]).toEqual(['scope'])
    expect([...view.required]).toEqual(['references', 'definitions'])
    expect(view.statuses).toEqual({
      scope: 'agreed',
      references: 'proposed',
      definitions: 'draft',
      overview: 'draft',
    })
  })

  it('locks a clause again once it is agreed again, and unlocks it when reopened', () => {
    const agreed = consensusViewOf([{ id: 'scope', status: 'agreed', required: false }])
    const reopened = consensusViewOf([{ id: 'scope', status: 'draft', required: false }])
    expect(agreed.locked.has('scope')).toBe(true)
    expect(reopened.locked.has('scope')).toBe(false)
  })
})
