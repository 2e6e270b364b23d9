/**
 * Consensus actions on clauses (API.md "Consensus"; SYNC.md §5). The policy decides who, the shared rules
 * decide when; this runs the accepted action in the durable order and pushes the new state to live clients.
 */
import {
  clauseCanonicalContent,
  clauseOwnText,
  contentHash,
  listClauses,
} from '../../shared/clauses/clauseText.ts'
import { type ActionRequest, checkAction, type DecisionEvent } from '../../shared/domain/consensus.ts'
import { newId } from '../../shared/domain/ids.ts'
import { mayOnDeliverable } from '../../shared/domain/policy.ts'
import type { Deliverable, User } from '../../shared/domain/types.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'
import {
  AuthorizationError,
  ConflictError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../errors.ts'
import { StorageWriteError } from '../storage/errors.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
import { ConsensusBook, type DecisionRecord } from './consensusBook.ts'
import { type PresentedSection, presentSections } from './sections.ts'

export interface ActionInput extends ActionRequest {
  sectionId: string
  suggestion?: string | null
  textHash?: string | null
}

export class ConsensusService {
  private readonly books = new Map<string, Promise<ConsensusBook>>()

  constructor(
    private readonly hub: DocumentHub,
    private readonly metadata: MetadataStore,
    private readonly openRecord: (deliverableId: string) => Promise<DecisionRecord>,
  ) {}

  book(deliverableId: string): Promise<ConsensusBook> {
    let book = this.books.get(deliverableId)
    if (!book) {
      book = this.openRecord(deliverableId).then((record) => ConsensusBook.open(record))
      book.catch(() => this.books.delete(deliverableId))
      this.books.set(deliverableId, book)
    }
    return book
  }

  /** Locks agreed clauses and protects required ones before any client reaches the document. */
  async restoreLocks(live: LiveDocument): Promise<void> {
    const book = await this.book(live.id)
    for (const [sectionId, state] of book.allStates())
      if (state.agreed) live.lockAgreed(state.agreed.item, sectionId)
    const deliverable = this.metadata.deliverable(live.id)
    for (const item of deliverable?.requiredClauseItems ?? []) live.protectRequired(item)
  }

  async sections(deliverableId: string): Promise<PresentedSection[]> {
    const live = await this.hub.get(deliverableId)
    return presentSections(live, await this.book(deliverableId))
  }

  /**
   * The consensus state of every section, as sent on hello. Only sections with a decision get a hash: a
   * draft's hash is computed by the client itself, and hashing a whole 120,000-word deliverable on every
   * connection delayed its first sync by 25-55 ms (measured in the benchmark).
   */
  async sectionStates(deliverableId: string): Promise<SectionState[]> {
    const live = await this.hub.get(deliverableId)
    const book = await this.book(deliverableId)
    return live.clauses().map((entry) => {
      const state = book.state(entry.id)
      const decided = state.status !== 'draft' || state.objections.length > 0
      const hash = decided ? live.clauseHash(entry.element) : null
      return {
        id: entry.id,
        status: state.status,
        hash,
        objections: state.objections,
        agreedHash: state.status === 'agreed' ? (state.agreed?.hash ?? hash) : null,
      }
    })
  }

  async act(deliverable: Deliverable, user: User, input: ActionInput): Promise<PresentedSection> {
    if (!mayOnDeliverable(user, input.action, deliverable, this.metadata.groupLookup))
      throw new AuthorizationError(`Your role on this deliverable does not allow "${input.action}".`)
    const live = await this.hub.get(deliverable.id)
    const book = await this.book(deliverable.id)
    return book.exclusive(async () => {
      if (book.uncertainSince)
        throw new UnavailableError(
          `The decision record is in doubt since a failed write: ${book.uncertainSince}`,
        )
      const entry = listClauses(live.body).find((c) => c.id === input.sectionId)
      if (!entry) throw new NotFoundError('No such section in this deliverable.')
      const verdict = checkAction(book.state(input.sectionId), input)
      if (!verdict.ok) {
        if (verdict.kind === 'invalid') throw new ValidationError(verdict.message)
        if (verdict.kind === 'forbidden') throw new AuthorizationError(verdict.message)
        throw new ConflictError(verdict.message)
      }
      const event: DecisionEvent = {
        seq: book.nextSeq,
        sectionId: input.sectionId,
        action: input.action,
        userId: user.id,
        at: new Date().toISOString(),
        note: input.note?.trim() || null,
        // The server alone says which meeting a decision was taken in (API.md "Meetings"), never the client.
        // TODO(meetings): the open meeting of the deliverable's group (or its parent), once meetings exist.
        meetingId: null,
        hash: contentHash(clauseCanonicalContent(entry.element)),
      }
      // A new objection always gets a fresh id: one named by the request would merge it with another.
      if (input.action === 'object') {
        event.objectionId = newId(10)
        event.suggestion = input.suggestion ?? null
      } else if (input.action === 'withdraw-objection' || input.action === 'dismiss-objection') {
        event.objectionId = input.objectionId ?? undefined
      }
      const agreedBefore = book.state(input.sectionId).agreed
      if (input.action === 'agree') await this.agree(live, entry.element, event, input.textHash ?? null)
      else
        await book.commit(event).catch((error) => {
          throw error instanceof StorageWriteError && error.outcomeUnknown
            ? this.uncertain(book, error)
            : error
        })
      // The decision is durable; only now may the clause change again.
      if (input.action === 'reopen' && agreedBefore) live.unlockAgreed(agreedBefore.item)
      // Clients compute the hash from the text they hold: the state must not overtake text not yet sent.
      await live.flush()
      const sections = presentSections(live, book)
      const section = sections.find((s) => s.id === input.sectionId)!
      live.tellAll({ type: 'consensus', sections: [toSectionState(section)] })
      return section
    })
  }

  /**
   * SYNC.md §5: lock in memory first (no later update can touch the clause), make the log durable up to now,
   * take the agreed content from the server's document, append and fsync the decision; undo the lock if any
   * step fails.
   */
  private async agree(
    live: LiveDocument,
    element: import('yjs').XmlElement,
    event: DecisionEvent,
    textHash: string | null,
  ): Promise<void> {
    const book = await this.book(live.id)
    const id = element._item!.id
    const item = { client: id.client, clock: id.clock }
    live.lockAgreed(item, event.sectionId)
    try {
      await live.flush()
      if (!live.writable) throw new UnavailableError('The server cannot save right now; nothing was agreed.')
      const content = clauseCanonicalContent(element)
      const hash = contentHash(content)
      if (textHash && textHash !== hash)
        throw new ConflictError('The clause changed since you read it; nothing was agreed.', 'stale_text')
      await book.commit({ ...event, hash, item, content, text: clauseOwnText(element) })
    } catch (error) {
      // Written but not known to be durable, and not taken back: the agreement may be read after a restart,
      // so the clause stays locked and the record takes no further decision until the disk is repaired.
      if (error instanceof StorageWriteError && error.outcomeUnknown) throw this.uncertain(book, error)
      live.unlockAgreed(item)
      throw error
    }
  }

  private uncertain(book: ConsensusBook, error: StorageWriteError): UnavailableError {
    book.uncertainSince = error.message
    return new UnavailableError(
      `The decision record could not be written, nor the failed write taken back: ${error.message} ` +
        'No further decisions are taken on this deliverable until the server is restarted with a repaired disk.',
    )
  }

  async history(deliverableId: string, sectionId: string): Promise<DecisionEvent[]> {
    return (await this.book(deliverableId)).history(sectionId)
  }
}

export function toSectionState(section: PresentedSection): SectionState {
  return {
    id: section.id,
    status: section.status,
    hash: section.hash,
    objections: section.objections,
    agreedHash: section.status === 'agreed' ? section.hash : null,
  }
}
