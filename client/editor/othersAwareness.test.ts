import { describe, expect, it, vi } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { othersAwareness } from './othersAwareness.ts'

describe('the presence the caret plugin sees', () => {
  it("does not tell of this user's own caret, but of everyone else's, and publishes the own caret", () => {
    const mine = new Awareness(new Y.Doc())
    const theirs = new Awareness(new Y.Doc())
    const seen = othersAwareness(mine)
    const listener = vi.fn()
    seen.on('change', listener)

    seen.setLocalStateField('cursor', { anchor: 1, head: 1 })
    expect(listener).not.toHaveBeenCalled()
    expect(mine.getLocalState()?.cursor).toEqual({ anchor: 1, head: 1 })

    theirs.setLocalStateField('cursor', { anchor: 5, head: 5 })
    applyAwarenessUpdate(mine, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'remote')
    expect(listener).toHaveBeenCalledTimes(1)
    expect(seen.getStates().get(theirs.clientID)?.cursor).toEqual({ anchor: 5, head: 5 })

    seen.off('change', listener)
    theirs.setLocalStateField('cursor', { anchor: 6, head: 6 })
    applyAwarenessUpdate(mine, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'remote')
    expect(listener).toHaveBeenCalledTimes(1)
  })
})
