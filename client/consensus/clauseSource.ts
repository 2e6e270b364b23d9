/**
 * Reads one clause out of the replica's Y.Doc with the shared functions (shared/clauses/clauseText.ts), so the
 * hash a chair agrees to and the text a redline compares are computed exactly as the server computes them.
 */
import type * as Y from 'yjs'
import { clauseHash, clauseOwnText, findClauseElement } from '../../shared/clauses/clauseText.ts'

/** The hash of the clause as this replica shows it; null when the clause is not in the document. */
export function clauseHashIn(body: Y.XmlFragment, id: string): string | null {
  const element = findClauseElement(body, id)
  return element ? clauseHash(element) : null
}

/** The clause's own plain text as this replica shows it (heading and sub-clauses excluded). */
export function clauseTextIn(body: Y.XmlFragment, id: string): string | null {
  const element = findClauseElement(body, id)
  return element ? clauseOwnText(element) : null
}
