/**
 * The export worker's copies of live documents (replicaFeeds.ts sends what they have not seen): a copy is started
 * from a whole state once and then follows the updates the main thread forwards, in order.
 */
import * as Y from 'yjs'
import { docFromUpdate } from './documentModel.ts'
import type { ReplicaFeed } from './replicaFeeds.ts'

export class WorkerReplicas {
  private readonly docs = new Map<number, Y.Doc>()

  /** The copy brought up to date by `feed`. */
  apply(feed: ReplicaFeed): Y.Doc {
    if (feed.state) {
      this.forget(feed.id)
      this.docs.set(feed.id, docFromUpdate(feed.state))
    }
    const doc = this.docs.get(feed.id)
    if (!doc) throw new Error(`the export worker has no copy ${feed.id}`)
    this.follow(feed)
    return doc
  }

  /**
   * Updates sent between exports: applied to the copy if the worker holds it. One it does not hold (never expected:
   * the main thread starts its copies again whenever a worker is lost) is dropped rather than failing the worker;
   * the next export of that document then fails alone and starts a new copy.
   */
  follow(feed: ReplicaFeed): void {
    const doc = this.docs.get(feed.id)
    if (doc) for (const update of feed.updates) Y.applyUpdate(doc, update)
  }

  forget(id: number): void {
    this.docs.get(id)?.destroy()
    this.docs.delete(id)
  }
}
