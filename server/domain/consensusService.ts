/**
 * Consensus actions on clauses (API.md "Consensus"; SYNC.md §5). The policy decides who, the shared rules
 * decide when; this runs the accepted action in the durable order and pushes the new state to live clients.
 */
import { type Section, sectionStateOf } from '../../shared/api/sections.ts'
import {
  clauseCanonicalContent,
  clauseOwnText,
  contentHash,
  listClauses,
} from '../../shared/clauses/clauseText.ts'
import type { DecisionBase, DecisionEvent, ItemId } from '../../shared/domain/consensus.ts'
import {
  type ActionRequest,
  type ActionVerdict,
  type ConsensusCommand,
  checkAction,
} from '../../shared/domain/consensusInput.ts'
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
import { presentSections, sectionStates } from './sections.ts'

/** An action on a section as the caller asks it; the acting user is the one `act` is given. */
export interface ActionInput extends Omit<ActionRequest, 'userId'> {
  sectionId: string
  /** For `agree`: the hash the caller read; the agreement is refused when the clause changed since. */
  textHash?: string | null
}

/** What other use cases add to the consensus flow, each registered with `use`. */
export interface ConsensusHooks {
  /** Why the section may not be agreed now (open suggestions), or null: asked before every agreement. */
  blockAgreement?(deliverableId: string, sectionId: string): Promise<string | null>
  /** An agreement, durable already, made every clause agreed (the product saves a version then). */
  everyClauseAgreed?(deliverableId: string): Promise<void>
}

export class ConsensusService {
  private readonly books = new Map<string, Promise<ConsensusBook>>()
  private readonly hooks: ConsensusHooks[] = []

  constructor(
    private readonly hub: DocumentHub,
    private readonly metadata: MetadataStore,
    private readonly openRecord: (deliverableId: string) => Promise<DecisionRecord>,
    /** The meeting open for this deliverable (API.md "Meetings"), as the meeting service decides it. */
    private readonly openMeetingId: (deliverable: Deliverable) => string | null = () => null,
  ) {}

  use(hooks: ConsensusHooks): void {
    this.hooks.push(hooks)
  }

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

  async sections(deliverableId: string): Promise<Section[]> {
    const live = await this.hub.get(deliverableId)
    return presentSections(live, await this.book(deliverableId), this.requiredItems(deliverableId))
  }

  /** The consensus state of every section, as sent on hello. */
  async sectionStates(deliverableId: string): Promise<SectionState[]> {
    const live = await this.hub.get(deliverableId)
    return sectionStates(live, await this.book(deliverableId), this.requiredItems(deliverableId))
  }

  /** The deliverable's required clauses (2 to 5), by the Yjs item ids of their elements. */
  private requiredItems(deliverableId: string): ItemId[] {
    return this.metadata.deliverable(deliverableId)?.requiredClauseItems ?? []
  }

  async act(deliverable: Deliverable, user: User, input: ActionInput): Promise<Section> {
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
      const command = accepted(checkAction(book.state(input.sectionId), { ...input, userId: user.id }))
      const decision: DecisionBase = {
        seq: book.nextSeq,
        sectionId: input.sectionId,
        userId: user.id,
        at: new Date().toISOString(),
        note: command.note,
        // The server alone says which meeting a decision was taken in (API.md "Meetings"), never the client.
        meetingId: this.openMeetingId(deliverable),
        hash: live.clauseHash(entry.element),
      }
      const agreedBefore = book.state(input.sectionId).agreed
      if (command.action === 'agree') await this.checkGuards(deliverable.id, input.sectionId)
      if (command.action === 'agree') await this.agree(live, entry.element, decision, input.textHash ?? null)
      else
        await book.commit(decisionOf(command, decision)).catch((error) => {
          throw error instanceof StorageWriteError && error.outcomeUnknown
            ? this.uncertain(book, error)
            : error
        })
      // The decision is durable; only now may the clause change again.
      if (command.action === 'reopen' && agreedBefore) live.unlockAgreed(agreedBefore.item)
      // Clients compute the hash from the text they hold: the state must not overtake text not yet sent.
      await live.flush()
      const sections = presentSections(live, book, this.requiredItems(deliverable.id))
      const section = sections.find((s) => s.id === input.sectionId)!
      live.tellAll({ type: 'consensus', sections: [sectionStateOf(section)] })
      if (command.action === 'agree' && sections.every((s) => s.status === 'agreed'))
        for (const hooks of this.hooks) await hooks.everyClauseAgreed?.(deliverable.id)
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
    decision: DecisionBase,
    textHash: string | null,
  ): Promise<void> {
    const book = await this.book(live.id)
    const id = element._item!.id
    const item = { client: id.client, clock: id.clock }
    live.lockAgreed(item, decision.sectionId)
    try {
      await live.flush()
      if (!live.writable) throw new UnavailableError('The server cannot save right now; nothing was agreed.')
      const content = clauseCanonicalContent(element)
      const hash = contentHash(content)
      if (textHash && textHash !== hash)
        throw new ConflictError('The clause changed since you read it; nothing was agreed.', 'stale_text')
      await book.commit({ ...decision, action: 'agree', hash, item, content, text: clauseOwnText(element) })
    } catch (error) {
      // Written but not known to be durable, and not taken back: the agreement may be read after a restart,
      // so the clause stays locked and the record takes no further decision until the disk is repaired.
      if (error instanceof StorageWriteError && error.outcomeUnknown) throw this.uncertain(book, error)
      live.unlockAgreed(item)
      throw error
    }
  }

  private async checkGuards(deliverableId: string, sectionId: string): Promise<void> {
    for (const hooks of this.hooks) {
      const reason = (await hooks.blockAgreement?.(deliverableId, sectionId)) ?? null
      if (reason) throw new ConflictError(reason, 'open_suggestions')
    }
  }

  private uncertain(book: ConsensusBook, error: StorageWriteError): UnavailableError {
    book.uncertainSince = error.message
    return new UnavailableError(
      `The decision record could not be written, nor the failed write taken back: ${error.message} ` +
        'No further decisions are taken on this deliverable until the server is restarted with a repaired disk.',
    )
  }

  /** The decisions taken in a meeting on this deliverable, in order. */
  async decisionsIn(deliverableId: string, meetingId: string): Promise<DecisionEvent[]> {
    return (await this.book(deliverableId)).all().filter((e) => e.meetingId === meetingId)
  }

  async history(deliverableId: string, sectionId: string): Promise<DecisionEvent[]> {
    return (await this.book(deliverableId)).history(sectionId)
  }
}

/** The command a verdict accepts; a refusal becomes the typed error of its kind. */
function accepted(verdict: ActionVerdict): ConsensusCommand {
  if (verdict.ok) return verdict.command
  if (verdict.kind === 'invalid') throw new ValidationError(verdict.message)
  if (verdict.kind === 'forbidden') throw new AuthorizationError(verdict.message)
  throw new ConflictError(verdict.message)
}

/** The record entry of an accepted command; `agree` has its own, made once the clause is locked. */
function decisionOf(
  command: Exclude<ConsensusCommand, { action: 'agree' }>,
  decision: DecisionBase,
): DecisionEvent {
  switch (command.action) {
    case 'propose':
    case 'reopen':
      return { ...decision, action: command.action }
    case 'object':
      // A new objection always gets a fresh id: one named by the request would merge it with another.
      return { ...decision, action: 'object', objectionId: newId(10), suggestion: command.suggestion }
    case 'withdraw-objection':
    case 'dismiss-objection':
      return { ...decision, action: command.action, objectionId: command.objectionId }
  }
}
