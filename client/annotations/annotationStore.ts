/**
 * The deliverable's comments and suggestions as this client knows them: loaded from the API, then kept live from
 * the server's `annotations` messages (each carries the changed items whole, so the newest copy wins) and from the
 * answers to the user's own requests. Asked again once connected (and after every reconnect), since messages sent
 * before the connection was there were missed: conditionally, so that a list that did not change costs a 304.
 * Loads run one after the other, each after the answer before it.
 */
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { annotationsApi } from './annotationsApi.ts'

export interface AnnotationSnapshot {
  comments: readonly PresentedComment[]
  suggestions: readonly PresentedSuggestion[]
  loaded: boolean
  error: string | null
}

export class AnnotationStore {
  private readonly comments = new Map<string, PresentedComment>()
  private readonly suggestions = new Map<string, PresentedSuggestion>()
  private snapshot: AnnotationSnapshot = { comments: [], suggestions: [], loaded: false, error: null }
  private readonly listeners = new Set<() => void>()
  private readonly lifetime = new AbortController()
  private queue: Promise<void> = Promise.resolve()
  /** The entity tags of the last answers (null: none yet, or the server sent none). */
  private readonly etags: { comments: string | null; suggestions: string | null } = {
    comments: null,
    suggestions: null,
  }

  constructor(readonly deliverableId: string) {}

  getSnapshot = (): AnnotationSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Loads both lists; `ifChanged`: only those that changed since the last answer. Runs after any load in flight
   * (whose answer may be older than what this one must see).
   */
  load(options: { ifChanged?: boolean } = {}): Promise<void> {
    const run = this.queue.then(() => this.loadNow(options.ifChanged ?? false))
    this.queue = run
    return run
  }

  private async loadNow(ifChanged: boolean): Promise<void> {
    const { signal } = this.lifetime
    if (signal.aborted) return
    try {
      const [comments, suggestions] = await Promise.all([
        annotationsApi.comments(this.deliverableId, ifChanged ? this.etags.comments : null, signal),
        annotationsApi.suggestions(this.deliverableId, ifChanged ? this.etags.suggestions : null, signal),
      ])
      if (signal.aborted) return
      if (!comments && !suggestions) {
        if (this.snapshot.error) this.publish(null)
        return
      }
      if (comments) {
        this.etags.comments = comments.etag
        this.comments.clear()
      }
      if (suggestions) {
        this.etags.suggestions = suggestions.etag
        this.suggestions.clear()
      }
      this.merge(comments?.body.comments ?? [], suggestions?.body.suggestions ?? [], null)
    } catch (error) {
      if (signal.aborted) return
      this.publish((error as Error).message || 'Comments and suggestions could not be loaded.')
    }
  }

  /** Items made or changed: from a live message or from the answer to one of the user's own requests. */
  merge(
    comments: readonly PresentedComment[],
    suggestions: readonly PresentedSuggestion[],
    error: string | null = this.snapshot.error,
  ): void {
    for (const comment of comments) this.comments.set(comment.id, comment)
    for (const suggestion of suggestions) this.suggestions.set(suggestion.id, suggestion)
    this.publish(error)
  }

  destroy(): void {
    this.lifetime.abort()
    this.listeners.clear()
  }

  private publish(error: string | null): void {
    this.snapshot = {
      comments: [...this.comments.values()],
      suggestions: [...this.suggestions.values()],
      loaded: true,
      error,
    }
    for (const listener of this.listeners) listener()
  }
}
