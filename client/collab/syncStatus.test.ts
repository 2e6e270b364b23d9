import { describe, expect, it } from 'vitest'
import { mergeMessage, statusLabel } from './syncStatus.ts'

describe('the status line', () => {
  it('says everything is saved only when the server confirmed it', () => {
    expect(statusLabel({ connection: 'online', unsaved: false, storageProblem: false }).text).toBe(
      'All changes saved',
    )
    expect(statusLabel({ connection: 'online', unsaved: true, storageProblem: false }).text).toBe('Saving…')
  })

  it('is honest when offline or reconnecting', () => {
    expect(statusLabel({ connection: 'offline', unsaved: true, storageProblem: false }).text).toBe(
      'Offline — changes kept on this device',
    )
    expect(statusLabel({ connection: 'reconnecting', unsaved: false, storageProblem: false }).text).toBe(
      'Reconnecting…',
    )
  })

  it('says when the server cannot write', () => {
    expect(statusLabel({ connection: 'online', unsaved: true, storageProblem: true }).tone).toBe('error')
  })

  it('tells what came in after an offline period', () => {
    expect(mergeMessage({ changes: 12, people: 2 })).toBe('Back online: 12 changes by 2 people merged.')
    expect(mergeMessage({ changes: 1, people: 1 })).toBe('Back online: 1 change by 1 person merged.')
    expect(mergeMessage({ changes: 0, people: 0 })).toMatch(/Nobody else/)
  })
})
