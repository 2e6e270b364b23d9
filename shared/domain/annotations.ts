/**
 * Comments and suggestions (API.md "Comments and suggestions", SYNC.md §7): they live beside the document, as
 * events in the deliverable's annotation log, anchored by Yjs relative positions. This module is the state they
 * fold into and the rules of who may change what, as plain functions both sides call; the policy says which roles
 * may comment, suggest and decide at all.
 */

/** Two Yjs relative positions (`Y.encodeRelativePosition`, base64) inside a section's own content. */
export interface Anchor {
  start: string
  end: string
}

export const SUGGESTION_STATUSES = ['open', 'accepted', 'rejected', 'withdrawn'] as const
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number]

export interface Comment {
  id: string
  sectionId: string
  /** Null: on the whole section. */
  anchor: Anchor | null
  /** The anchored text when the comment was made ("" for a whole-section comment). */
  quote: string
  authorId: string
  body: string
  createdAt: string
  editedAt: string | null
  /** Only a thread's first comment is resolved or reopened; replies follow their thread. */
  resolved: boolean
  replyTo: string | null
  /** Members named with @ in the body, by user id. */
  mentions: string[]
  /** Deleted by its author: the thread keeps its place, the text is gone. */
  deleted: boolean
}

export interface Suggestion {
  id: string
  sectionId: string
  anchor: Anchor
  /** The text of the range when the suggestion was made: what the replacement replaces. */
  original: string
  /** The proposed text of the range ("" for a deletion). */
  replacement: string
  authorId: string
  createdAt: string
  status: SuggestionStatus
  decidedBy: string | null
  decidedAt: string | null
}

/** One entry of the annotation log; the log is the record, the state is its fold. */
export type AnnotationEvent =
  | { type: 'comment'; at: string; comment: Omit<Comment, 'editedAt' | 'resolved' | 'deleted'> }
  | { type: 'comment-edited'; at: string; id: string; by: string; body: string; mentions: string[] }
  | { type: 'comment-deleted'; at: string; id: string; by: string }
  | { type: 'comment-resolved' | 'comment-reopened'; at: string; id: string; by: string }
  | { type: 'suggestion'; at: string; suggestion: Omit<Suggestion, 'status' | 'decidedBy' | 'decidedAt'> }
  /** Its author grew an open suggestion (consecutive typing in suggestion mode). */
  | {
      type: 'suggestion-revised'
      at: string
      id: string
      by: string
      anchor: Anchor
      original: string
      replacement: string
    }
  | {
      type: 'suggestion-decided'
      at: string
      id: string
      by: string
      status: Exclude<SuggestionStatus, 'open'>
    }
  /** A user read their "For me" list up to this time. */
  | { type: 'read'; at: string; by: string }

export interface Annotations {
  comments: Map<string, Comment>
  suggestions: Map<string, Suggestion>
  /** Per user, when they last read their "For me" list. */
  readUpTo: Map<string, string>
}

export function emptyAnnotations(): Annotations {
  return { comments: new Map(), suggestions: new Map(), readUpTo: new Map() }
}

/** Applies one event to the state in place; events the state cannot take (unknown ids) change nothing. */
export function foldAnnotation(state: Annotations, event: AnnotationEvent): void {
  switch (event.type) {
    case 'comment':
      state.comments.set(event.comment.id, {
        ...event.comment,
        editedAt: null,
        resolved: false,
        deleted: false,
      })
      return
    case 'suggestion':
      state.suggestions.set(event.suggestion.id, {
        ...event.suggestion,
        status: 'open',
        decidedBy: null,
        decidedAt: null,
      })
      return
    case 'suggestion-revised': {
      const suggestion = state.suggestions.get(event.id)
      if (suggestion?.status === 'open' && suggestion.authorId === event.by)
        Object.assign(suggestion, {
          anchor: event.anchor,
          original: event.original,
          replacement: event.replacement,
        })
      return
    }
    case 'suggestion-decided': {
      const suggestion = state.suggestions.get(event.id)
      if (suggestion?.status === 'open')
        Object.assign(suggestion, { status: event.status, decidedBy: event.by, decidedAt: event.at })
      return
    }
    case 'read':
      state.readUpTo.set(event.by, event.at)
      return
  }
  const comment = state.comments.get(event.id)
  if (!comment) return
  switch (event.type) {
    case 'comment-edited':
      Object.assign(comment, { body: event.body, mentions: event.mentions, editedAt: event.at })
      return
    case 'comment-deleted':
      Object.assign(comment, { body: '', mentions: [], deleted: true, editedAt: event.at })
      return
    case 'comment-resolved':
    case 'comment-reopened':
      comment.resolved = event.type === 'comment-resolved'
  }
}

export type AnnotationVerdict = { ok: true } | { ok: false; kind: 'forbidden' | 'conflict'; message: string }

const OK: AnnotationVerdict = { ok: true }
const refuse = (kind: 'forbidden' | 'conflict', message: string): AnnotationVerdict => ({
  ok: false,
  kind,
  message,
})

/** Editing or deleting a message: its author only, and not once deleted. */
export function checkOwnMessage(comment: Comment, userId: string): AnnotationVerdict {
  if (comment.authorId !== userId) return refuse('forbidden', 'Only its author may change a message.')
  if (comment.deleted) return refuse('conflict', 'This message was deleted.')
  return OK
}

/**
 * Resolving or reopening a thread: on its first comment, by those the policy lets resolve, or by the thread's
 * author; only to the other state.
 */
export function checkResolve(
  comment: Comment,
  userId: string,
  mayResolveAny: boolean,
  resolve: boolean,
): AnnotationVerdict {
  if (comment.replyTo !== null) return refuse('conflict', 'Resolve the thread, not a reply.')
  if (!mayResolveAny && comment.authorId !== userId)
    return refuse('forbidden', 'Only the thread’s author, an editor or a chair may resolve or reopen it.')
  if (comment.resolved === resolve)
    return refuse('conflict', resolve ? 'The thread is already resolved.' : 'The thread is open.')
  return OK
}

/** Deciding a suggestion: only while open; withdrawing is its author's alone. */
export function checkDecision(
  suggestion: Suggestion,
  userId: string,
  decision: Exclude<SuggestionStatus, 'open'>,
): AnnotationVerdict {
  if (suggestion.status !== 'open')
    return refuse('conflict', `The suggestion was already ${suggestion.status}.`)
  if (decision === 'withdrawn' && suggestion.authorId !== userId)
    return refuse('forbidden', 'Only its author may withdraw a suggestion.')
  return OK
}

/** Revising a suggestion: its author's, while it is open. */
export function checkRevision(suggestion: Suggestion, userId: string): AnnotationVerdict {
  if (suggestion.authorId !== userId) return refuse('forbidden', 'Only its author may change a suggestion.')
  if (suggestion.status !== 'open')
    return refuse('conflict', `The suggestion was already ${suggestion.status}.`)
  return OK
}

/** The open suggestions of a section: while there are any, the section cannot be agreed. */
export function openSuggestionsOf(state: Annotations, sectionId: string): Suggestion[] {
  return [...state.suggestions.values()].filter((s) => s.sectionId === sectionId && s.status === 'open')
}

/** Something in a deliverable that concerns one user: a mention, a reply in their thread, a decision on their suggestion. */
export interface ForMeItem {
  kind: 'mention' | 'reply' | 'decision'
  sectionId: string
  commentId: string | null
  suggestionId: string | null
  /** Who did it. */
  by: string
  at: string
  unread: boolean
}

/** The user's "For me" list, newest first; what others did only (nobody is told of their own acts). */
export function forMe(state: Annotations, userId: string): ForMeItem[] {
  const readUpTo = state.readUpTo.get(userId) ?? ''
  const items: ForMeItem[] = []
  const add = (item: Omit<ForMeItem, 'unread'>) => items.push({ ...item, unread: item.at > readUpTo })
  for (const comment of state.comments.values()) {
    if (comment.authorId === userId || comment.deleted) continue
    const base = {
      sectionId: comment.sectionId,
      commentId: comment.id,
      suggestionId: null,
      by: comment.authorId,
    }
    const thread = comment.replyTo ? state.comments.get(comment.replyTo) : undefined
    if (comment.mentions.includes(userId)) add({ ...base, kind: 'mention', at: comment.createdAt })
    else if (thread?.authorId === userId) add({ ...base, kind: 'reply', at: comment.createdAt })
  }
  for (const suggestion of state.suggestions.values()) {
    const { decidedBy, decidedAt } = suggestion
    if (suggestion.authorId !== userId || !decidedBy || !decidedAt || decidedBy === userId) continue
    add({
      kind: 'decision',
      sectionId: suggestion.sectionId,
      commentId: null,
      suggestionId: suggestion.id,
      by: decidedBy,
      at: decidedAt,
    })
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
}
