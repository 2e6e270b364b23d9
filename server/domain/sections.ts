/**
 * Sections as the API presents them (shared/api/sections.ts) and as the live connection sends their consensus
 * state: the clause tree of the live document joined with the decision record, and which clauses are required.
 * A required clause is known by its element's Yjs item id (recorded when the skeleton was seeded), never by its
 * title or its `id` attribute, which anyone can change or copy.
 */
import type * as Y from 'yjs'
import type { Section } from '../../shared/api/sections.ts'
import { type ClauseEntry, clauseOwnText } from '../../shared/clauses/clauseText.ts'
import type { ItemId, SectionConsensus } from '../../shared/domain/consensus.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'
import { itemKey } from '../sync/checks/lockTable.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
import type { ConsensusBook } from './consensusBook.ts'

/** Tells whether a clause element is one of the deliverable's required clauses. */
function requiredTest(requiredItems: readonly ItemId[]): (element: Y.XmlElement) => boolean {
  const keys = new Set(requiredItems.map(itemKey))
  return (element) => element._item !== null && keys.has(itemKey(element._item.id))
}

/** Each clause of the live document, in document order, with its consensus state and whether it is required. */
function eachClause<T>(
  live: LiveDocument,
  book: ConsensusBook,
  requiredItems: readonly ItemId[],
  present: (entry: ClauseEntry, state: SectionConsensus, required: boolean) => T,
): T[] {
  const isRequired = requiredTest(requiredItems)
  return live.clauses().map((entry) => present(entry, book.state(entry.id), isRequired(entry.element)))
}

export function presentSections(
  live: LiveDocument,
  book: ConsensusBook,
  requiredItems: readonly ItemId[],
): Section[] {
  return eachClause(live, book, requiredItems, (entry, state, required) => ({
    id: entry.id,
    number: entry.number,
    title: entry.title,
    level: entry.level,
    status: state.status,
    required,
    text: clauseOwnText(entry.element),
    hash: live.clauseHash(entry.element),
    objections: state.objections,
    agreedAt: state.agreed?.at ?? null,
    lastAgreedContent: state.lastAgreedContent,
    lastAgreedText: state.lastAgreedText,
  }))
}

/**
 * The consensus state of every section, as sent on hello. Only sections with a decision get a hash: a draft's
 * hash is computed by the client itself, and hashing a whole 120,000-word deliverable on every connection delayed
 * its first sync by 25-55 ms (measured in the benchmark).
 */
export function sectionStates(
  live: LiveDocument,
  book: ConsensusBook,
  requiredItems: readonly ItemId[],
): SectionState[] {
  return eachClause(live, book, requiredItems, (entry, state, required) => {
    const decided = state.status !== 'draft' || state.objections.length > 0
    const hash = decided ? live.clauseHash(entry.element) : null
    return {
      id: entry.id,
      status: state.status,
      required,
      hash,
      objections: state.objections,
      agreedHash: state.status === 'agreed' ? (state.agreed?.hash ?? hash) : null,
    }
  })
}
