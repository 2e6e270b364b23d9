/**
 * Comments and suggestions on a deliverable (API.md "Comments and suggestions", SYNC.md §7). The policy decides
 * who, the shared rules decide when; events go to the deliverable's annotation log (durable before anything is
 * answered or pushed), and every change is pushed to the live document's connections. Anchors are checked
 * against the server's document: a client says where, the server decides whether that place exists.
 */
import type * as Y from 'yjs'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { anchorProblemMessage, resolveAnchor, singleTextRange } from '../../shared/clauses/anchors.ts'
import { findClauseElement } from '../../shared/clauses/clauseText.ts'
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
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import { SerialQueue } from '../serialQueue.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import { editOnCopy } from '../sync/editOnCopy.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
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

export type SuggestionDecision = 'accept' | 'reject' | 'withdraw'

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
      await this.record(live, book, { type: 'comment', at: comment.createdAt, comment })
      return presentComment(live, book.state.comments.get(comment.id)!)
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
      await this.record(live, book, {
        type: 'suggestion-revised',
        at,
        id: suggestion.id,
        by: user.id,
        anchor,
        original,
        replacement,
      })
      return presentSuggestion(live, suggestion)
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
      await this.record(live, book, { type: 'suggestion', at: suggestion.createdAt, suggestion })
      return presentSuggestion(live, book.state.suggestions.get(suggestion.id)!)
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
    const status = ({ accept: 'accepted', reject: 'rejected', withdraw: 'withdrawn' } as const)[decision]
    return this.exclusive(deliverable, async (live, book) => {
      const suggestion = book.state.suggestions.get(suggestionId)
      if (!suggestion) throw new NotFoundError('No such suggestion on this deliverable.')
      allowed(checkDecision(suggestion, user.id, status))
      if (decision === 'accept') {
        if (options.reopenNote !== undefined)
          await this.consensus.act(deliverable, user, {
            action: 'reopen',
            note: options.reopenNote,
            sectionId: suggestion.sectionId,
          })
        this.applySuggestion(live, user, suggestion)
        await live.flush()
      }
      await this.record(live, book, {
        type: 'suggestion-decided',
        at: new Date().toISOString(),
        id: suggestion.id,
        by: user.id,
        status,
      })
      return presentSuggestion(live, suggestion)
    })
  }

  private applySuggestion(live: LiveDocument, user: User, suggestion: Suggestion): void {
    let stale: string | null = null
    const owners = live.clientOwners()
    const update = editOnCopy(
      live.doc,
      (client) => owners.has(client),
      (copy) => {
        const range = rangeIn(copy, suggestion)
        if (typeof range === 'string') {
          stale = range
          return
        }
        range.text.delete(range.from, range.to - range.from)
        if (suggestion.replacement) range.text.insert(range.from, suggestion.replacement)
      },
    )
    if (stale) throw new ConflictError(stale, 'stale_suggestion')
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
      await this.record(live, book, eventFor(comment))
      return presentComment(live, comment)
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

  /** Durable first, then folded and pushed: nobody hears of an event the server could still lose. */
  private async record(live: LiveDocument, book: AnnotationBook, event: AnnotationEvent): Promise<void> {
    await book.record.append(event)
    foldAnnotation(book.state, event)
    const { comment, suggestion } = touchedBy(event)
    live.tellAll({
      type: 'annotations',
      comments: comment ? [presentComment(live, book.state.comments.get(comment)!)] : [],
      suggestions: suggestion ? [presentSuggestion(live, book.state.suggestions.get(suggestion)!)] : [],
    })
  }

  private clause(live: LiveDocument, sectionId: string): Y.XmlElement {
    const entry = live.clauses().find((c) => c.id === sectionId)
    if (!entry) throw new NotFoundError('No such section in this deliverable.')
    return entry.element
  }

  /** The mentioned users who may see the deliverable; anyone else named is dropped, never told. */
  private mentions(deliverable: Deliverable, userIds: string[] | undefined): string[] {
    const visible = (id: string) => {
      const user = this.metadata.user(id)
      return !!user && mayOnDeliverable(user, 'view', deliverable, this.metadata.groupLookup)
    }
    return [...new Set(userIds ?? [])].filter(visible)
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

function allowed(verdict: AnnotationVerdict): void {
  if (verdict.ok) return
  throw verdict.kind === 'forbidden'
    ? new AuthorizationError(verdict.message)
    : new ConflictError(verdict.message)
}

function anchoredText(doc: Y.Doc, clause: Y.XmlElement, anchor: Anchor): string {
  const resolved = resolveAnchor(doc, clause, anchor)
  if (typeof resolved === 'string') throw new ValidationError(`anchor: ${anchorProblemMessage(resolved)}`)
  return resolved.text
}

/**
 * The range a suggestion replaces in `doc` (the copy an acceptance is made on), or why it cannot be replaced:
 * only the very text it was made on is replaced, never what others wrote into the range since.
 */
function rangeIn(doc: Y.Doc, suggestion: Suggestion): { text: Y.XmlText; from: number; to: number } | string {
  const clause = findClauseElement(doc.getXmlFragment(BODY_FIELD), suggestion.sectionId)
  if (!clause) return 'The section of this suggestion no longer exists.'
  const resolved = resolveAnchor(doc, clause, suggestion.anchor)
  const range = typeof resolved === 'string' ? null : singleTextRange(resolved)
  if (!range || typeof resolved === 'string' || resolved.text !== suggestion.original)
    return 'The text this suggestion was made on has changed since; review the suggestion again.'
  return range
}

/** Where an anchor stands now: `removed` once the text it was made on is gone (or its section is). */
function isRemoved(live: LiveDocument, sectionId: string, anchor: Anchor | null, made: string): boolean {
  if (!anchor) return false
  const entry = live.clauses().find((c) => c.id === sectionId)
  if (!entry) return true
  const resolved = resolveAnchor(live.doc, entry.element, anchor)
  // A position that no longer resolves inside the section (its text collected) counts as removed.
  if (typeof resolved === 'string') return true
  return made.length > 0 && resolved.text.length === 0
}

function presentComment(live: LiveDocument, comment: Comment): PresentedComment {
  return { ...comment, removed: isRemoved(live, comment.sectionId, comment.anchor, comment.quote) }
}

function presentSuggestion(live: LiveDocument, suggestion: Suggestion): PresentedSuggestion {
  return {
    ...suggestion,
    removed: isRemoved(live, suggestion.sectionId, suggestion.anchor, suggestion.original),
  }
}
