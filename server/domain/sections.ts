/** Sections as the API presents them: the clause tree of the live document joined with consensus state. */
import { clauseOwnText } from '../../shared/clauses/clauseText.ts'
import type { Section } from '../../shared/domain/types.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
import type { ConsensusBook } from './consensusBook.ts'

export interface PresentedSection extends Section {
  agreedAt: string | null
  /** The canonical content of the last agreement, for the redline after a reopen. */
  lastAgreedContent: string | null
  /** The plain text of the last agreement, kept after a reopen: the base of the redline. */
  lastAgreedText: string | null
}

export function presentSections(live: LiveDocument, book: ConsensusBook): PresentedSection[] {
  return live.clauses().map((entry) => {
    const state = book.state(entry.id)
    return {
      id: entry.id,
      number: entry.number,
      title: entry.title,
      level: entry.level,
      status: state.status,
      text: clauseOwnText(entry.element),
      hash: live.clauseHash(entry.element),
      objections: state.objections,
      agreedAt: state.agreed?.at ?? null,
      lastAgreedContent: state.lastAgreedContent,
      lastAgreedText: state.lastAgreedText,
    }
  })
}
