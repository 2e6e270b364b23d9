/**
 * What the export worker's copy of a live document is sent: the whole state once, then only the updates since
 * the last export (in order, none lost, none twice); the copy is forgotten with its document, after a long while
 * without exports, and when the worker is lost.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { REPLICA_IDLE_MS, type ReplicaFeed, ReplicaFeeds } from '../../server/export/replicaFeeds.ts'

function feedsWithRecorder() {
  const sent: ReplicaFeed[] = []
  const forgotten: number[] = []
  let encodes = 0
  const feeds = new ReplicaFeeds(
    { feed: (feed) => sent.push(feed), forget: (id) => forgotten.push(id) },
    (doc) => {
      encodes++
      return Y.encodeStateAsUpdate(doc)
    },
  )
  return { feeds, sent, forgotten, encodes: () => encodes }
}

/** A copy built only from what the feeds handed out, as the worker builds it. */
function copyFrom(feeds: ReplicaFeed[]): Y.Doc {
  const copy = new Y.Doc()
  for (const feed of feeds) {
    if (feed.state) Y.applyUpdate(copy, feed.state)
    for (const update of feed.updates) Y.applyUpdate(copy, update)
  }
  return copy
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the feed of the export worker’s copy', () => {
  it('sends the whole state once, then only what changed, and the copy equals the document', () => {
    const { feeds, sent, encodes } = feedsWithRecorder()
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'The scope.')
    const handed: ReplicaFeed[] = [feeds.feedFor(doc)]
    expect(handed[0]!.state).not.toBeNull()
    doc.getText('t').insert(0, 'Now ')
    doc.getText('t').delete(4, 4)
    const second = feeds.feedFor(doc)
    handed.push(second)
    expect(second).toMatchObject({ id: handed[0]!.id, state: null })
    expect(second.updates).toHaveLength(2)
    expect(feeds.feedFor(doc).updates).toHaveLength(0)
    expect(encodes()).toBe(1)
    expect(sent).toHaveLength(0)
    expect(copyFrom(handed).getText('t').toString()).toBe(doc.getText('t').toString())
    feeds.dispose()
  })

  it('sends updates ahead of the next export once many bytes wait, in order', () => {
    const { feeds, sent } = feedsWithRecorder()
    const doc = new Y.Doc()
    const handed: ReplicaFeed[] = [feeds.feedFor(doc)]
    for (let i = 0; i < 300; i++) doc.getText('t').insert(0, 'y'.repeat(1000))
    expect(sent.length).toBeGreaterThan(0)
    handed.push(...sent, feeds.feedFor(doc))
    expect(copyFrom(handed).getText('t').toString()).toBe(doc.getText('t').toString())
    feeds.dispose()
  })

  it('forgets the copy when the document is unloaded', () => {
    const { feeds, forgotten } = feedsWithRecorder()
    const doc = new Y.Doc()
    const { id } = feeds.feedFor(doc)
    doc.destroy()
    expect(forgotten).toEqual([id])
    expect(feeds.size).toBe(0)
    feeds.dispose()
  })

  it('forgets a copy nobody exported for a long while, and keeps one exported lately', () => {
    vi.useFakeTimers()
    const { feeds, forgotten } = feedsWithRecorder()
    const idle = new Y.Doc()
    const busy = new Y.Doc()
    const idleCopy = feeds.feedFor(idle).id
    feeds.feedFor(busy)
    vi.advanceTimersByTime(REPLICA_IDLE_MS * 0.75)
    feeds.feedFor(busy)
    vi.advanceTimersByTime(REPLICA_IDLE_MS * 0.5)
    expect(forgotten).toEqual([idleCopy])
    expect(feeds.size).toBe(1)
    // Forgotten, it starts again from the whole state.
    expect(feeds.feedFor(idle).state).not.toBeNull()
    feeds.dispose()
  })

  it('starts every copy again after the worker was lost, and no longer follows the old ones', () => {
    const { feeds, sent } = feedsWithRecorder()
    const doc = new Y.Doc()
    feeds.feedFor(doc)
    feeds.reset()
    for (let i = 0; i < 300; i++) doc.getText('t').insert(0, 'y'.repeat(1000))
    expect(sent).toHaveLength(0)
    expect(feeds.feedFor(doc).state).not.toBeNull()
    feeds.dispose()
  })
})
