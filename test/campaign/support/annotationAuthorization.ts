/**
 * The annotation rows of the authorization matrix (issue 24): every comment and suggestion route, each with what
 * must exist before it is called (made by a fixture author, or by the caller where the row is about one's own),
 * the answer the shared policy owes each caller (`mayOnDeliverable` applied to the caller, plus authorship where
 * docs/API.md says "its author only"), and what an allowed call must have stored: the annotation events it
 * appended, whether the text changed, whether the decision record gained a reopen. A refused call must leave the
 * annotation log, the decision record and the document exactly as they were.
 */
import type { Anchor } from '../../../shared/domain/annotations.ts'
import { type DeliverableAction, mayOnDeliverable } from '../../../shared/domain/policy.ts'
import type { Deliverable, User } from '../../../shared/domain/types.ts'

/** Each cell's clause reads this; anchors are made on its words. */
export const CELL_TEXT = 'alpha beta gamma delta'

/** What a row finds in place when it is called: its own clause, and what its setup made there. */
export interface Stage {
  base: string
  sectionId: string
  anchor: (word: string) => Anchor
  commentId: string
  suggestionId: string
}

/** Who made the row's comment or suggestion: the caller (when they may) or the fixture author. */
export type Maker = 'caller' | 'fixture'

/** What exists before the call. */
export type Setup =
  | { thread: Maker; resolved?: boolean }
  | { suggestions: string[]; by: Maker; agreed?: boolean }

export interface AnnotationRow {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** The route as docs/API.md writes it, and what this row tries. */
  route: string
  name: string
  path: (s: Stage) => string
  body?: (s: Stage) => unknown
  setup?: Setup
  /** The policy's answer for a caller who may see the deliverable; `own` when the caller made the setup's item. */
  allowed: (may: (action: DeliverableAction) => boolean, own: boolean) => boolean
  /** The status of an allowed call. */
  status: number
  /** The events an allowed call appends, as subsets of each (in order); none when absent. */
  stored?: (user: User, s: Stage) => Record<string, unknown>[]
  /** An allowed call changes the cell's paragraph to this. */
  text?: string
  /** An allowed call records a reopen of the cell's clause. */
  reopens?: boolean
}

const at = (path: string) => (s: Stage) => `${s.base}${path}`
const thread =
  (path = '') =>
  (s: Stage) =>
    `${s.base}/comments/${s.commentId}${path}`
const suggestion = (verb: string) => (s: Stage) => `${s.base}/suggestions/${s.suggestionId}/${verb}`
const decided =
  (status: string, count = 1) =>
  (user: User) =>
    Array.from({ length: count }, () => ({ type: 'suggestion-decided', by: user.id, status }))
const byCaller = (type: string) => (user: User, s: Stage) => [{ type, id: s.commentId, by: user.id }]
const REOPEN_NOTE = 'The meeting took the participant’s wording.'

export const ANNOTATION_ROWS: AnnotationRow[] = [
  {
    method: 'GET',
    route: '/api/deliverables/:id/comments',
    name: 'list comments',
    path: at('/comments'),
    setup: { thread: 'fixture' },
    allowed: (may) => may('view'),
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/deliverables/:id/suggestions',
    name: 'list suggestions',
    path: at('/suggestions'),
    setup: { suggestions: ['beta'], by: 'fixture' },
    allowed: (may) => may('view'),
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/comments',
    name: 'comment on words',
    path: at('/comments'),
    body: (s) => ({ sectionId: s.sectionId, anchor: s.anchor('beta'), body: 'A comment.' }),
    allowed: (may) => may('comment'),
    status: 201,
    stored: (user, s) => [
      { type: 'comment', comment: { authorId: user.id, sectionId: s.sectionId, body: 'A comment.' } },
    ],
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/comments',
    name: 'reply',
    path: at('/comments'),
    body: (s) => ({ sectionId: s.sectionId, body: 'A reply.', replyTo: s.commentId }),
    setup: { thread: 'fixture' },
    allowed: (may) => may('comment'),
    status: 201,
    stored: (user, s) => [{ type: 'comment', comment: { authorId: user.id, replyTo: s.commentId } }],
  },
  {
    method: 'PATCH',
    route: '/api/deliverables/:id/comments/:commentId',
    name: 'edit one’s own message',
    path: thread(),
    body: () => ({ body: 'Edited.' }),
    setup: { thread: 'caller' },
    allowed: (may, own) => may('view') && own,
    status: 200,
    stored: (user, s) => [{ type: 'comment-edited', id: s.commentId, by: user.id, body: 'Edited.' }],
  },
  {
    method: 'PATCH',
    route: '/api/deliverables/:id/comments/:commentId',
    name: 'edit another’s message',
    path: thread(),
    body: () => ({ body: 'Edited.' }),
    setup: { thread: 'fixture' },
    allowed: (may, own) => may('view') && own,
    status: 200,
  },
  {
    method: 'DELETE',
    route: '/api/deliverables/:id/comments/:commentId',
    name: 'delete one’s own message',
    path: thread(),
    setup: { thread: 'caller' },
    allowed: (may, own) => may('view') && own,
    status: 200,
    stored: byCaller('comment-deleted'),
  },
  {
    method: 'DELETE',
    route: '/api/deliverables/:id/comments/:commentId',
    name: 'delete another’s message',
    path: thread(),
    setup: { thread: 'fixture' },
    allowed: (may, own) => may('view') && own,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/comments/:commentId/resolve',
    name: 'resolve another’s thread',
    path: thread('/resolve'),
    setup: { thread: 'fixture' },
    allowed: (may, own) => may('comment') && (may('resolve-comment') || own),
    status: 200,
    stored: byCaller('comment-resolved'),
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/comments/:commentId/resolve',
    name: 'resolve one’s own thread',
    path: thread('/resolve'),
    setup: { thread: 'caller' },
    allowed: (may, own) => may('comment') && (may('resolve-comment') || own),
    status: 200,
    stored: byCaller('comment-resolved'),
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/comments/:commentId/reopen',
    name: 'reopen another’s resolved thread',
    path: thread('/reopen'),
    setup: { thread: 'fixture', resolved: true },
    allowed: (may, own) => may('comment') && (may('resolve-comment') || own),
    status: 200,
    stored: byCaller('comment-reopened'),
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions',
    name: 'suggest',
    path: at('/suggestions'),
    body: (s) => ({ sectionId: s.sectionId, anchor: s.anchor('beta'), replacement: 'BETA' }),
    allowed: (may) => may('suggest'),
    status: 201,
    stored: (user, s) => [
      { type: 'suggestion', suggestion: { authorId: user.id, sectionId: s.sectionId, replacement: 'BETA' } },
    ],
  },
  {
    method: 'PATCH',
    route: '/api/deliverables/:id/suggestions/:suggestionId',
    name: 'grow one’s own suggestion',
    path: (s) => `${s.base}/suggestions/${s.suggestionId}`,
    body: (s) => ({ anchor: s.anchor('beta'), replacement: 'BETA!' }),
    setup: { suggestions: ['beta'], by: 'caller' },
    allowed: (may, own) => may('suggest') && own,
    status: 200,
    stored: (user, s) => [
      { type: 'suggestion-revised', id: s.suggestionId, by: user.id, replacement: 'BETA!' },
    ],
  },
  {
    method: 'PATCH',
    route: '/api/deliverables/:id/suggestions/:suggestionId',
    name: 'change another’s suggestion',
    path: (s) => `${s.base}/suggestions/${s.suggestionId}`,
    body: (s) => ({ anchor: s.anchor('beta'), replacement: 'BETA!' }),
    setup: { suggestions: ['beta'], by: 'fixture' },
    allowed: (may, own) => may('suggest') && own,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/:suggestionId/accept',
    name: 'accept',
    path: suggestion('accept'),
    setup: { suggestions: ['beta'], by: 'fixture' },
    allowed: (may) => may('decide-suggestion'),
    status: 200,
    stored: decided('accepted'),
    text: 'alpha BETA gamma delta',
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/:suggestionId/reject',
    name: 'reject',
    path: suggestion('reject'),
    setup: { suggestions: ['beta'], by: 'fixture' },
    allowed: (may) => may('decide-suggestion'),
    status: 200,
    stored: decided('rejected'),
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/:suggestionId/withdraw',
    name: 'withdraw one’s own',
    path: suggestion('withdraw'),
    setup: { suggestions: ['beta'], by: 'caller' },
    allowed: (may, own) => may('suggest') && own,
    status: 200,
    stored: decided('withdrawn'),
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/:suggestionId/withdraw',
    name: 'withdraw another’s',
    path: suggestion('withdraw'),
    setup: { suggestions: ['beta'], by: 'fixture' },
    allowed: (may, own) => may('suggest') && own,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/accept-all',
    name: 'accept all of a clause',
    path: at('/suggestions/accept-all'),
    body: (s) => ({ sectionId: s.sectionId }),
    setup: { suggestions: ['alpha', 'delta'], by: 'fixture' },
    allowed: (may) => may('decide-suggestion'),
    status: 200,
    stored: decided('accepted', 2),
    text: 'ALPHA beta gamma DELTA',
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/reject-all',
    name: 'reject all of a clause',
    path: at('/suggestions/reject-all'),
    body: (s) => ({ sectionId: s.sectionId }),
    setup: { suggestions: ['alpha', 'delta'], by: 'fixture' },
    allowed: (may) => may('decide-suggestion'),
    status: 200,
    stored: decided('rejected', 2),
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/:suggestionId/accept',
    name: 'accept on an agreed clause (locked: 409 for whoever may accept)',
    path: suggestion('accept'),
    setup: { suggestions: ['beta'], by: 'fixture', agreed: true },
    allowed: (may) => may('decide-suggestion'),
    status: 409,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/:suggestionId/accept',
    name: 'reopen and accept on an agreed clause',
    path: suggestion('accept'),
    body: () => ({ reopenNote: REOPEN_NOTE }),
    setup: { suggestions: ['beta'], by: 'fixture', agreed: true },
    allowed: (may) => may('decide-suggestion') && may('reopen'),
    status: 200,
    stored: decided('accepted'),
    text: 'alpha BETA gamma delta',
    reopens: true,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/suggestions/accept-all',
    name: 'reopen and accept all on an agreed clause',
    path: at('/suggestions/accept-all'),
    body: (s) => ({ sectionId: s.sectionId, reopenNote: REOPEN_NOTE }),
    setup: { suggestions: ['alpha', 'delta'], by: 'fixture', agreed: true },
    allowed: (may) => may('decide-suggestion') && may('reopen'),
    status: 200,
    stored: decided('accepted', 2),
    text: 'ALPHA beta gamma DELTA',
    reopens: true,
  },
  {
    method: 'GET',
    route: '/api/deliverables/:id/mentionable',
    name: 'whom a comment may mention',
    path: at('/mentionable'),
    allowed: (may) => may('comment'),
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/deliverables/:id/for-me',
    name: 'the "For me" list',
    path: at('/for-me'),
    allowed: (may) => may('view'),
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/for-me/read',
    name: 'mark "For me" read',
    path: at('/for-me/read'),
    allowed: (may) => may('view'),
    status: 200,
    stored: (user) => [{ type: 'read', by: user.id }],
  },
]

/**
 * Who may take each annotation action as API.md and docs/API.md write it, by matrix role, written out here (not
 * read from the policy): the rows above check that the server does what the policy says, this checks that the
 * policy says what the contract does. Reopening (for "reopen and accept") is the chairs' (API.md "Consensus").
 */
export const ANNOTATION_CONTRACT: Record<
  'view' | 'comment' | 'suggest' | 'decide-suggestion' | 'resolve-comment' | 'reopen',
  readonly string[]
> = {
  view: ['admin', 'chair', 'parentChair', 'editor', 'participant', 'observer'],
  comment: ['admin', 'chair', 'parentChair', 'editor', 'participant'],
  suggest: ['admin', 'chair', 'parentChair', 'editor', 'participant'],
  'decide-suggestion': ['admin', 'chair', 'parentChair', 'editor'],
  // Any thread; a thread's author also resolves their own (the rows "resolve one's own thread" check that).
  'resolve-comment': ['admin', 'chair', 'parentChair', 'editor'],
  reopen: ['chair', 'parentChair'],
}

/** Whether the caller makes the row's setup item: only when the row asks and the caller may make it. */
export function callerMakes(row: AnnotationRow, user: User | null, deliverable: Deliverable, lookup: Lookup) {
  const setup = row.setup
  if (!setup || !user) return false
  const maker = 'thread' in setup ? setup.thread : setup.by
  const action = 'thread' in setup ? 'comment' : 'suggest'
  return maker === 'caller' && mayOnDeliverable(user, action, deliverable, lookup)
}

type Lookup = Parameters<typeof mayOnDeliverable>[3]

/** The answer a caller is owed: 401 without a live session, 404 when they may not see the deliverable. */
export function expectedAnnotationStatus(
  row: AnnotationRow,
  user: User | null,
  deliverable: Deliverable,
  lookup: Lookup,
  own: boolean,
): number {
  if (!user) return 401
  const may = (action: DeliverableAction) => mayOnDeliverable(user, action, deliverable, lookup)
  if (!may('view')) return 404
  return row.allowed(may, own) ? row.status : 403
}

/** True when every key of `pattern` is in `value` with the same value (nested objects alike). */
export function matches(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return Object.is(value, pattern)
  if (value === null || typeof value !== 'object') return false
  return Object.entries(pattern).every(([key, expected]) =>
    matches((value as Record<string, unknown>)[key], expected),
  )
}
