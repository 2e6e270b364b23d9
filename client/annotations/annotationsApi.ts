/** The comment and suggestion calls of the HTTP API (API.md and docs/API.md "Comments and suggestions"). */
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import { getIfChanged, http, request } from '../api/http.ts'
import type { Mentionable } from './mentions.ts'

export type SuggestionDecision = 'accept' | 'reject' | 'withdraw'

const id = (value: string) => encodeURIComponent(value)
const base = (deliverableId: string) => `/api/deliverables/${id(deliverableId)}`

export interface NewComment {
  sectionId: string
  anchor?: Anchor
  body: string
  replyTo?: string
  mentions?: string[]
}

export const annotationsApi = {
  /** The comments, unless they are still those of the answer tagged `etag` (then null). */
  comments: (deliverableId: string, etag: string | null, signal?: AbortSignal) =>
    getIfChanged<{ comments: PresentedComment[] }>(`${base(deliverableId)}/comments`, etag, { signal }),
  /** The suggestions, unless they are still those of the answer tagged `etag` (then null). */
  suggestions: (deliverableId: string, etag: string | null, signal?: AbortSignal) =>
    getIfChanged<{ suggestions: PresentedSuggestion[] }>(`${base(deliverableId)}/suggestions`, etag, {
      signal,
    }),
  addComment: (deliverableId: string, body: NewComment) =>
    http.post<{ comment: PresentedComment }>(`${base(deliverableId)}/comments`, body),
  editComment: (deliverableId: string, commentId: string, body: { body: string; mentions: string[] }) =>
    request<{ comment: PresentedComment }>('PATCH', `${base(deliverableId)}/comments/${id(commentId)}`, body),
  deleteComment: (deliverableId: string, commentId: string) =>
    http.delete<{ comment: PresentedComment }>(`${base(deliverableId)}/comments/${id(commentId)}`),
  resolveComment: (deliverableId: string, commentId: string, resolve: boolean) =>
    http.post<{ comment: PresentedComment }>(
      `${base(deliverableId)}/comments/${id(commentId)}/${resolve ? 'resolve' : 'reopen'}`,
    ),
  addSuggestion: (deliverableId: string, body: { sectionId: string; anchor: Anchor; replacement: string }) =>
    http.post<{ suggestion: PresentedSuggestion }>(`${base(deliverableId)}/suggestions`, body),
  reviseSuggestion: (
    deliverableId: string,
    suggestionId: string,
    body: { anchor: Anchor; replacement: string },
  ) =>
    request<{ suggestion: PresentedSuggestion }>(
      'PATCH',
      `${base(deliverableId)}/suggestions/${id(suggestionId)}`,
      body,
    ),
  /** With `reopenNote` (accepting, chairs): reopens the agreed clause and accepts in one step, recorded as both. */
  decide: (
    deliverableId: string,
    suggestionId: string,
    decision: SuggestionDecision,
    options?: { reopenNote: string },
  ) =>
    http.post<{ suggestion: PresentedSuggestion }>(
      `${base(deliverableId)}/suggestions/${id(suggestionId)}/${decision}`,
      options,
    ),
  /** Every open suggestion of a section at once; accepting applies them as one edit, or changes nothing. */
  decideAll: (deliverableId: string, sectionId: string, decision: 'accept' | 'reject') =>
    http.post<{ suggestions: PresentedSuggestion[] }>(`${base(deliverableId)}/suggestions/${decision}-all`, {
      sectionId,
    }),
  mentionable: (deliverableId: string, signal?: AbortSignal) =>
    http.get<{ users: Mentionable[] }>(`${base(deliverableId)}/mentionable`, { signal }),
}
