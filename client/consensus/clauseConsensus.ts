/**
 * The consensus state of each clause as the client knows it: first from the API's sections, then from the live
 * `consensus` messages and the answers to the user's own actions. Plain data and pure functions; the rules
 * themselves stay in shared/domain/consensus.ts.
 */
import type { SectionConsensus } from '../../shared/domain/consensus.ts'
import type { Objection, SectionStatus } from '../../shared/domain/types.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'

export interface ClauseConsensus {
  id: string
  status: SectionStatus
  objections: readonly Objection[]
  /** The server's hash of the clause when this state was sent; null when unknown. */
  hash: string | null
}

export type ConsensusMap = Readonly<Record<string, ClauseConsensus>>

export const STATUS_LABELS: Record<SectionStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  agreed: 'Agreed',
}

export function fromSection(section: {
  id: string
  status: SectionStatus
  objections?: readonly Objection[]
  hash?: string | null
}): ClauseConsensus {
  return {
    id: section.id,
    status: section.status,
    objections: section.objections ?? [],
    hash: section.hash ?? null,
  }
}

export function fromLive(state: SectionState): ClauseConsensus {
  return { id: state.id, status: state.status, objections: state.objections ?? [], hash: state.hash }
}

/** A clause the server has not told about yet (just created): a draft without objections. */
export const draftClause = (id: string): ClauseConsensus => ({
  id,
  status: 'draft',
  objections: [],
  hash: null,
})

export const openObjections = (clause: ClauseConsensus): Objection[] =>
  clause.objections.filter((o) => o.open)

export function sameConsensus(a: ClauseConsensus | undefined, b: ClauseConsensus): boolean {
  return !!a && a.status === b.status && JSON.stringify(a.objections) === JSON.stringify(b.objections)
}

/** The state `checkAction` reads (status and objections); the agreed content is the server's business. */
export function asSectionConsensus(clause: ClauseConsensus): SectionConsensus {
  return {
    status: clause.status,
    objections: [...clause.objections],
    agreed: null,
    lastAgreedContent: null,
    lastAgreedText: null,
  }
}

/** "Clause 3.2", or the title of an unnumbered clause ("Summary"). */
export function clauseLabel(number: string, title: string): string {
  if (number) return /^(Annex|Appendix) /.test(number) ? number : `Clause ${number}`
  return title ? `“${title}”` : 'An untitled clause'
}

/**
 * What changed between two states of one clause, as one sentence for a live-region announcement; null when
 * nothing a reader needs to hear changed.
 */
export function describeChange(
  before: ClauseConsensus,
  after: ClauseConsensus,
  label: string,
): string | null {
  if (before.status !== after.status) {
    if (after.status === 'agreed') return `${label} agreed`
    if (after.status === 'proposed') return `${label} proposed for agreement`
    return before.status === 'agreed' ? `${label} reopened` : `${label} back to draft`
  }
  const wasOpen = new Set(openObjections(before).map((o) => o.id))
  const nowOpen = openObjections(after)
  if (nowOpen.some((o) => !wasOpen.has(o.id))) return `Objection raised on ${inSentence(label)}`
  const closed = after.objections.find((o) => !o.open && wasOpen.has(o.id))
  if (closed) return `Objection on ${inSentence(label)} ${closed.closedBy ?? 'closed'}`
  return null
}

/** The label inside a sentence: "clause 3.2", "Annex A". */
export const inSentence = (text: string) => (text.startsWith('Clause ') ? `clause ${text.slice(7)}` : text)

export interface Progress {
  agreed: number
  total: number
}

/** Agreed clauses among those in the document now. */
export function progressOf(clauseIds: readonly string[], consensus: ConsensusMap): Progress {
  const agreed = clauseIds.filter((id) => consensus[id]?.status === 'agreed').length
  return { agreed, total: clauseIds.length }
}
