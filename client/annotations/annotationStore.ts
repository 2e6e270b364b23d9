/**
 * The deliverable's comments and suggestions as this client knows them: loaded from the API, then kept live from
 * the server's `annotations` messages (each carries the changed items whole, so the newest copy wins) and from the
 * answers to the user's own requests. Reloaded after a reconnect, since messages sent meanwhile were missed.
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
  private loading: AbortController | null = null

  constructor(readonly deliverableId: string) {}

  getSnapshot = (): AnnotationSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async load(): Promise<void> {
    this.loading?.abort()
    const controller = new AbortController()
    this.loading = controller
    try {
      const [comments, suggestions] = await Promise.all([
        annotationsApi.comments(this.deliverableId, controller.signal),
        annotationsApi.suggestions(this.deliverableId, controller.signal),
      ])
      if (controller.signal.aborted) return
      this.comments.clear()
      this.suggestions.clear()
      this.merge(comments.comments, suggestions.suggestions, null)
    } catch (error) {
      if (controller.signal.aborted) return
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
    this.loading?.abort()
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
