/**
 * Comments and suggestions on a deliverable (API.md "Comments and suggestions", SYNC.md §7). The policy decides
 * who, the shared rules decide when; events go to the deliverable's annotation log (durable before anything is
 * answered or pushed), and every change is pushed to the live document's connections. Anchors are checked
 * against the server's document: a client says where, the server decides whether that place exists.
 */
import type * as Y from 'yjs'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { anchorProblemMessage, resolveAnchor, singleTextRange } from '../../shared/clauses/anchors.ts'
import {
  type Anchor,
  type AnnotationEvent,
  type Annotations,
  type AnnotationVerdict,
  type Comment,
  checkDecision,
  checkOwnMessage,
  checkResolve,
  checkRevision,
  emptyAnnotations,
  type ForMeItem,
  foldAnnotation,
  forMe,
  openSuggestionsOf,
  type Suggestion,
} from '../../shared/domain/annotations.ts'
import { newId } from '../../shared/domain/ids.ts'
import { type DeliverableAction, mayOnDeliverable } from '../../shared/domain/policy.ts'
import type { Deliverable, User } from '../../shared/domain/types.ts'
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import { SerialQueue } from '../serialQueue.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import { editOnCopy } from '../sync/editOnCopy.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
import { anchoredText, presentComment, presentSuggestion, rangeIn } from './annotationPlaces.ts'
import type { ConsensusHooks, ConsensusService } from './consensusService.ts'
import type { EventRecord } from './decisionRecordFile.ts'

interface AnnotationBook {
  record: EventRecord<AnnotationEvent>
  state: Annotations
  queue: SerialQueue
}

export interface NewComment {
  sectionId: string
  anchor?: Anchor | undefined
  body: string
  replyTo?: string | undefined
  mentions?: string[] | undefined
}

export interface NewSuggestion {
  sectionId: string
  anchor: Anchor
  replacement: string
}

/** What an annotations message carried. */
interface Pushed {
  comments: PresentedComment[]
  suggestions: PresentedSuggestion[]
}

export type SuggestionDecision = 'accept' | 'reject' | 'withdraw'

const STATUS_OF = { accept: 'accepted', reject: 'rejected', withdraw: 'withdrawn' } as const

export class AnnotationService implements ConsensusHooks {
  private readonly books = new Map<string, Promise<AnnotationBook>>()

  constructor(
    private readonly hub: DocumentHub,
    private readonly metadata: MetadataStore,
    private readonly consensus: ConsensusService,
    private readonly openRecord: (deliverableId: string) => Promise<EventRecord<AnnotationEvent>>,
  ) {}

  private book(deliverableId: string): Promise<AnnotationBook> {
    let book = this.books.get(deliverableId)
    if (!book) {
      book = this.openRecord(deliverableId).then(async (record) => {
        const state = emptyAnnotations()
        for (const event of await record.readAll()) foldAnnotation(state, event)
        return { record, state, queue: new SerialQueue() }
      })
      book.catch(() => this.books.delete(deliverableId))
      this.books.set(deliverableId, book)
    }
    return book
  }

  async comments(deliverable: Deliverable): Promise<PresentedComment[]> {
    const [book, live] = await Promise.all([this.book(deliverable.id), this.hub.get(deliverable.id)])
    return [...book.state.comments.values()].map((c) => presentComment(live, c))
  }

  async suggestions(deliverable: Deliverable): Promise<PresentedSuggestion[]> {
    const [book, live] = await Promise.all([this.book(deliverable.id), this.hub.get(deliverable.id)])
    return [...book.state.suggestions.values()].map((s) => presentSuggestion(live, s))
  }

  /** The caller's "For me" list on this deliverable: mentions, replies to their threads, decisions on their suggestions. */
  async forMe(deliverable: Deliverable, user: User): Promise<ForMeItem[]> {
    this.authorize(user, 'view', deliverable)
    return forMe((await this.book(deliverable.id)).state, user.id)
  }

  /** Marks the caller's "For me" list read up to now. */
  async markRead(deliverable: Deliverable, user: User): Promise<ForMeItem[]> {
    this.authorize(user, 'view', deliverable)
    return this.exclusive(deliverable, async (_live, book) => {
      const event: AnnotationEvent = { type: 'read', at: new Date().toISOString(), by: user.id }
      // Nobody else needs to hear of it: appended and folded, not pushed.
      await book.record.append(event)
      foldAnnotation(book.state, event)
      return forMe(book.state, user.id)
    })
  }

  /** ConsensusHooks: every proposed change must have been dealt with before a section is agreed. */
  async blockAgreement(deliverableId: string, sectionId: string): Promise<string | null> {
    const open = openSuggestionsOf((await this.book(deliverableId)).state, sectionId).length
    if (open === 0) return null
    return `The section has ${open} open suggestion${open === 1 ? '' : 's'}: accept, reject or withdraw ${
      open === 1 ? 'it' : 'them'
    } before agreeing.`
  }

  async addComment(deliverable: Deliverable, user: User, input: NewComment): Promise<PresentedComment> {
    this.authorize(user, 'comment', deliverable)
    return this.exclusive(deliverable, async (live, book) => {
      const clause = this.clause(live, input.sectionId)
      let replyTo: string | null = null
      if (input.replyTo) {
        const parent = book.state.comments.get(input.replyTo)
        if (!parent || parent.sectionId !== input.sectionId)
          throw new ValidationError('replyTo: no such comment on this section.')
        // A reply to a reply joins the thread of the first comment.
        replyTo = parent.replyTo ?? parent.id
      }
      const quote = input.anchor ? anchoredText(live.doc, clause, input.anchor) : ''
      const comment: Extract<AnnotationEvent, { type: 'comment' }>['comment'] = {
        id: newId(12),
        sectionId: input.sectionId,
        anchor: replyTo ? null : (input.anchor ?? null),
        quote: replyTo ? '' : quote,
        authorId: user.id,
        body: input.body,
        createdAt: new Date().toISOString(),
        replyTo,
        mentions: this.mentions(deliverable, input.mentions),
      }
      const pushed = await this.record(live, book, { type: 'comment', at: comment.createdAt, comment })
      return pushed.comments[0]!
    })
  }

  async editComment(
    deliverable: Deliverable,
    user: User,
    commentId: string,
    change: { body: string; mentions?: string[] | undefined } | 'delete',
  ): Promise<PresentedComment> {
    this.authorize(user, 'view', deliverable)
    return this.onComment(deliverable, commentId, (comment) => {
      allowed(checkOwnMessage(comment, user.id))
      const at = new Date().toISOString()
      return change === 'delete'
        ? { type: 'comment-deleted', at, id: comment.id, by: user.id }
        : {
            type: 'comment-edited',
            at,
            id: comment.id,
            by: user.id,
            body: change.body,
            mentions: this.mentions(deliverable, change.mentions),
          }
    })
  }

  async resolveComment(
    deliverable: Deliverable,
    user: User,
    commentId: string,
    resolve: boolean,
  ): Promise<PresentedComment> {
    this.authorize(user, 'comment', deliverable)
    const mayResolveAny = mayOnDeliverable(user, 'resolve-comment', deliverable, this.metadata.groupLookup)
    return this.onComment(deliverable, commentId, (comment) => {
      allowed(checkResolve(comment, user.id, mayResolveAny, resolve))
      const type = resolve ? 'comment-resolved' : 'comment-reopened'
      return { type, at: new Date().toISOString(), id: comment.id, by: user.id }
    })
  }

  /**
   * Its author grows an open suggestion (consecutive typing in suggestion mode): a new range in the same section,
   * checked as when it was made, and a new text.
   */
  async reviseSuggestion(
    deliverable: Deliverable,
    user: User,
    suggestionId: string,
    input: { anchor: Anchor; replacement: string },
  ): Promise<PresentedSuggestion> {
    this.authorize(user, 'suggest', deliverable)
    return this.exclusive(deliverable, async (live, book) => {
      const suggestion = book.state.suggestions.get(suggestionId)
      if (!suggestion) throw new NotFoundError('No such suggestion on this deliverable.')
      allowed(checkRevision(suggestion, user.id))
      const original = this.suggestedRange(live, suggestion.sectionId, input)
      const at = new Date().toISOString()
      const { anchor, replacement } = input
      const revised: AnnotationEvent = {
        type: 'suggestion-revised',
        at,
        id: suggestion.id,
        by: user.id,
        anchor,
        original,
        replacement,
      }
      return (await this.record(live, book, revised)).suggestions[0]!
    })
  }

  /** The text a suggestion would replace, or a 400 saying why this range cannot take one. */
  private suggestedRange(
    live: LiveDocument,
    sectionId: string,
    input: { anchor: Anchor; replacement: string },
  ): string {
    const clause = this.clause(live, sectionId)
    const resolved = resolveAnchor(live.doc, clause, input.anchor)
    if (typeof resolved === 'string') throw new ValidationError(`anchor: ${anchorProblemMessage(resolved)}`)
    if (!singleTextRange(resolved))
      throw new ValidationError('anchor: a suggestion replaces text within one paragraph or field.')
    if (resolved.text === input.replacement)
      throw new ValidationError('replacement: it is the text already there; nothing would change.')
    return resolved.text
  }

  async addSuggestion(
    deliverable: Deliverable,
    user: User,
    input: NewSuggestion,
  ): Promise<PresentedSuggestion> {
    this.authorize(user, 'suggest', deliverable)
    return this.exclusive(deliverable, async (live, book) => {
      const original = this.suggestedRange(live, input.sectionId, input)
      const suggestion: Extract<AnnotationEvent, { type: 'suggestion' }>['suggestion'] = {
        id: newId(12),
        sectionId: input.sectionId,
        anchor: input.anchor,
        original,
        replacement: input.replacement,
        authorId: user.id,
        createdAt: new Date().toISOString(),
      }
      const event = { type: 'suggestion', at: suggestion.createdAt, suggestion } as const
      return (await this.record(live, book, event)).suggestions[0]!
    })
  }

  /**
   * Accept, reject or withdraw. Accepting is an edit by the acceptor through the document's check pipeline
   * (refused on an agreed section until it is reopened, `reopenNote` does both for a chair), made first; the
   * decision is recorded once the edit was accepted.
   */
  async decide(
    deliverable: Deliverable,
    user: User,
    suggestionId: string,
    decision: SuggestionDecision,
    options: { reopenNote?: string | undefined } = {},
  ): Promise<PresentedSuggestion> {
    this.authorize(user, decision === 'withdraw' ? 'suggest' : 'decide-suggestion', deliverable)
    return this.exclusive(deliverable, async (live, book) => {
      const suggestion = book.state.suggestions.get(suggestionId)
      if (!suggestion) throw new NotFoundError('No such suggestion on this deliverable.')
      allowed(checkDecision(suggestion, user.id, STATUS_OF[decision]))
      const [decided] = await this.settle(deliverable, user, { live, book }, [suggestion], decision, options)
      return decided!
    })
  }

  /**
   * Accepts or rejects every open suggestion of a section at once, oldest first. Accepting applies them all as one
   * edit by the acceptor: if one of them no longer applies (its text changed, or an earlier one of the batch
   * changed it), nothing is changed and nothing is recorded.
   */
  async decideAll(
    deliverable: Deliverable,
    user: User,
    sectionId: string,
    decision: 'accept' | 'reject',
    options: { reopenNote?: string | undefined } = {},
  ): Promise<PresentedSuggestion[]> {
    this.authorize(user, 'decide-suggestion', deliverable)
    return this.exclusive(deliverable, async (live, book) => {
      this.clause(live, sectionId)
      const open = openSuggestionsOf(book.state, sectionId).sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
      )
      if (open.length === 0)
        throw new ConflictError('The section has no open suggestions.', 'no_open_suggestions')
      return this.settle(deliverable, user, { live, book }, open, decision, options)
    })
  }

  /** Records a decision on open suggestions of one section; accepting edits the document first. */
  private async settle(
    deliverable: Deliverable,
    user: User,
    { live, book }: { live: LiveDocument; book: AnnotationBook },
    suggestions: Suggestion[],
    decision: SuggestionDecision,
    options: { reopenNote?: string | undefined },
  ): Promise<PresentedSuggestion[]> {
    if (decision === 'accept') {
      // Whether they still apply is known before anything is reopened.
      let edit = this.acceptanceEdit(live, suggestions)
      if (options.reopenNote !== undefined) {
        await this.consensus.act(deliverable, user, {
          action: 'reopen',
          note: options.reopenNote,
          sectionId: suggestions[0]!.sectionId,
        })
        edit = this.acceptanceEdit(live, suggestions)
      }
      this.editAs(live, user, edit)
      await live.flush()
    }
    const at = new Date().toISOString()
    const status = STATUS_OF[decision]
    const events = suggestions.map(
      (s): AnnotationEvent => ({ type: 'suggestion-decided', at, id: s.id, by: user.id, status }),
    )
    return (await this.record(live, book, events)).suggestions
  }

  /**
   * The update that applies `suggestions` in order, made on a copy of the document, or a 409 naming the first that
   * no longer applies.
   */
  private acceptanceEdit(live: LiveDocument, suggestions: Suggestion[]): Uint8Array | null {
    let stale: string | null = null
    const owners = live.clientOwners()
    const update = editOnCopy(
      live.doc,
      (client) => owners.has(client),
      (copy) => {
        for (const [index, suggestion] of suggestions.entries()) {
          const range = rangeIn(copy, suggestion)
          if (typeof range === 'string') {
            stale =
              suggestions.length === 1 ? range : staleInBatch(suggestion, index, suggestions.length, range)
            return
          }
          range.text.delete(range.from, range.to - range.from)
          if (suggestion.replacement) range.text.insert(range.from, suggestion.replacement)
        }
      },
    )
    if (stale) throw new ConflictError(stale, 'stale_suggestion')
    return update
  }

  private editAs(live: LiveDocument, user: User, update: Uint8Array | null): void {
    const refusal = update && live.editAs(user.id, update)
    if (refusal)
      throw new ConflictError(
        refusal.reason === 'section-locked'
          ? 'The section is agreed: reopen it before accepting a suggestion on it.'
          : refusal.message,
        refusal.reason === 'section-locked' ? 'section_locked' : 'conflict',
      )
  }

  private async onComment(
    deliverable: Deliverable,
    commentId: string,
    eventFor: (comment: Comment) => AnnotationEvent,
  ): Promise<PresentedComment> {
    return this.exclusive(deliverable, async (live, book) => {
      const comment = book.state.comments.get(commentId)
      if (!comment) throw new NotFoundError('No such comment on this deliverable.')
      return (await this.record(live, book, eventFor(comment))).comments[0]!
    })
  }

  /** Runs `task` alone among the deliverable's annotation changes, with its live document and book. */
  private async exclusive<T>(
    deliverable: Deliverable,
    task: (live: LiveDocument, book: AnnotationBook) => Promise<T>,
  ): Promise<T> {
    const [live, book] = await Promise.all([this.hub.get(deliverable.id), this.book(deliverable.id)])
    return book.queue.run(() => task(live, book))
  }

  /**
   * Durable first, then folded and pushed (in one message): nobody hears of an event the server could still lose.
   * Returns what was pushed: the changed comments and suggestions in the order of the events.
   */
  private async record(
    live: LiveDocument,
    book: AnnotationBook,
    events: AnnotationEvent | AnnotationEvent[],
  ): Promise<Pushed> {
    const all = Array.isArray(events) ? events : [events]
    // Appended together: one group commit makes them durable.
    await Promise.all(all.map((event) => book.record.append(event)))
    const comments = new Set<string>()
    const suggestions = new Set<string>()
    for (const event of all) {
      foldAnnotation(book.state, event)
      const { comment, suggestion } = touchedBy(event)
      if (comment) comments.add(comment)
      if (suggestion) suggestions.add(suggestion)
    }
    const pushed: Pushed = {
      comments: [...comments].map((id) => presentComment(live, book.state.comments.get(id)!)),
      suggestions: [...suggestions].map((id) => presentSuggestion(live, book.state.suggestions.get(id)!)),
    }
    live.tellAll({ type: 'annotations', ...pushed })
    return pushed
  }

  private clause(live: LiveDocument, sectionId: string): Y.XmlElement {
    const entry = live.clauses().find((c) => c.id === sectionId)
    if (!entry) throw new NotFoundError('No such section in this deliverable.')
    return entry.element
  }

  /** Who may be mentioned on this deliverable: every active user who may see it (the mention picker's list). */
  mentionable(deliverable: Deliverable, user: User): User[] {
    this.authorize(user, 'comment', deliverable)
    return this.metadata.data.users.filter((u) => !u.removed && this.mayView(u.id, deliverable))
  }

  /** The mentioned users who may see the deliverable; anyone else named is dropped, never told. */
  private mentions(deliverable: Deliverable, userIds: string[] | undefined): string[] {
    return [...new Set(userIds ?? [])].filter((id) => this.mayView(id, deliverable))
  }

  private mayView(userId: string, deliverable: Deliverable): boolean {
    const user = this.metadata.user(userId)
    return !!user && mayOnDeliverable(user, 'view', deliverable, this.metadata.groupLookup)
  }

  private authorize(user: User, action: DeliverableAction, deliverable: Deliverable): void {
    if (!mayOnDeliverable(user, action, deliverable, this.metadata.groupLookup))
      throw new AuthorizationError(`Your role on this deliverable does not allow "${action}".`)
  }
}

/** The comment or suggestion an event changed. */
function touchedBy(event: AnnotationEvent): { comment?: string; suggestion?: string } {
  switch (event.type) {
    case 'comment':
      return { comment: event.comment.id }
    case 'suggestion':
      return { suggestion: event.suggestion.id }
    case 'suggestion-revised':
    case 'suggestion-decided':
      return { suggestion: event.id }
    case 'read':
      return {}
    default:
      return { comment: event.id }
  }
}

/** Why accepting a batch changed nothing: which of its suggestions no longer applies. */
function staleInBatch(suggestion: Suggestion, index: number, count: number, why: string): string {
  const change = `“${suggestion.original}” → “${suggestion.replacement}”`
  return `Suggestion ${index + 1} of ${count} (${change}) no longer applies: ${why} Nothing was changed; decide the suggestions one by one.`
}

function allowed(verdict: AnnotationVerdict): void {
  if (verdict.ok) return
  throw verdict.kind === 'forbidden'
    ? new AuthorizationError(verdict.message)
    : new ConflictError(verdict.message)
}
