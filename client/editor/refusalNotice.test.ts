import { describe, expect, it } from 'vitest'
import { BURST_MS, changesText, startsBurst } from './refusalNotice.ts'

const key = (key: string, mods: Partial<KeyboardEvent> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, ...mods }) as KeyboardEvent

describe('refusals are said once per burst', () => {
  const locked = 'Clause 3.2 is agreed: its text is locked until a chair reopens it.'

  it('says the first refusal, not the ones that follow it closely, and again after a pause', () => {
    expect(startsBurst(null, locked, 1000)).toBe(true)
    expect(startsBurst({ message: locked, at: 1000 }, locked, 1000 + BURST_MS - 1)).toBe(false)
    expect(startsBurst({ message: locked, at: 1000 }, locked, 1000 + BURST_MS + 1)).toBe(true)
  })

  it('says a different refusal at once', () => {
    expect(startsBurst({ message: locked, at: 1000 }, 'Another reason.', 1001)).toBe(true)
  })
})

describe('keys that would change the text', () => {
  it('are characters, deletions, Enter, cut, paste and formats', () => {
    for (const k of [key('a'), key(' '), key('Backspace'), key('Delete'), key('Enter')])
      expect(changesText(k)).toBe(true)
    for (const k of [key('v', { ctrlKey: true }), key('x', { metaKey: true }), key('b', { ctrlKey: true })])
      expect(changesText(k)).toBe(true)
  })

  it('are not moves, copy, Tab or a composition in progress', () => {
    for (const k of [
      key('ArrowLeft'),
      key('Home'),
      key('Tab'),
      key('c', { ctrlKey: true }),
      key('a', { isComposing: true }),
    ])
      expect(changesText(k)).toBe(false)
  })
})
