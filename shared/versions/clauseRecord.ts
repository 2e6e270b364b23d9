/**
 * A clause as a version keeps it: where it stood (number, level, title), its own text, its content hash and its
 * consensus state at that moment. The same record describes the present document, so that a version can be
 * compared with now by the same function (compare.ts).
 */
import type * as Y from 'yjs'
import { clauseHash, clauseOwnText, listClauses } from '../clauses/clauseText.ts'
import type { SectionStatus } from '../domain/types.ts'
import type { ClauseKind } from '../editor/clauseNodes.ts'

export interface ClauseConsensusRecord {
  status: SectionStatus
  /** The hash the clause was agreed with, while it is agreed. */
  agreedHash: string | null
  /** Objections not yet withdrawn or dismissed. */
  openObjections: number
}

export interface VersionClause extends ClauseConsensusRecord {
  id: string
  /** As printed: "3.2", "Annex A", "" for an unnumbered clause (shared/clauses/numbering.ts). */
  number: string
  title: string
  /** 1 for a top-level clause; the list is in document order, so levels give the tree. */
  level: number
  kind: ClauseKind
  /** The clause's own plain text (heading and sub-clauses excluded), as `section.text`. */
  text: string
  /** `clauseHash`: the digest of the clause's canonical content (API.md "hash"). */
  hash: string
}

const DRAFT: ClauseConsensusRecord = { status: 'draft', agreedHash: null, openObjections: 0 }

/**
 * The clause records of a document body, in document order. `consensusOf` gives each clause's consensus state
 * (a clause without a decision is a draft); `hashOf` lets a caller reuse hashes it keeps (the live document does).
 */
export function clauseRecords(
  body: Y.XmlFragment,
  consensusOf: (clauseId: string) => ClauseConsensusRecord = () => DRAFT,
  hashOf: (element: Y.XmlElement) => string = clauseHash,
): VersionClause[] {
  return listClauses(body).map((entry) => ({
    id: entry.id,
    number: entry.number,
    title: entry.title,
    level: entry.level,
    kind: entry.kind,
    text: clauseOwnText(entry.element),
    hash: hashOf(entry.element),
    ...consensusOf(entry.id),
  }))
}
