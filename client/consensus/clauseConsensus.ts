/**
 * The consensus state of each clause as the client knows it (`SectionState`, keyed by clause id): first from the
 * API's sections, then from the live `consensus` messages and the answers to the user's own actions. Plain data
 * and pure functions; the rules themselves stay in shared/domain/consensus.ts.
 */
import type { SectionConsensus } from '../../shared/domain/consensus.ts'
import type { Objection, SectionStatus } from '../../shared/domain/types.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'

export type ConsensusMap = Readonly<Record<string, SectionState>>

/** What the rules and the sentences below read of a section's state. */
export type ClauseStatus = Pick<SectionState, 'status' | 'objections'>

export const STATUS_LABELS: Record<SectionStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  agreed: 'Agreed',
}

/** A clause the server has not told about yet (just created): a draft without objections. */
export const draftClause = (id: string): SectionState => ({
  id,
  status: 'draft',
  required: false,
  objections: [],
  hash: null,
  agreedHash: null,
})

export const openObjections = (clause: Pick<SectionState, 'objections'>): Objection[] =>
  clause.objections.filter((o) => o.open)

export function sameConsensus(a: SectionState | undefined, b: SectionState): boolean {
  return (
    !!a &&
    a.status === b.status &&
    a.required === b.required &&
    JSON.stringify(a.objections) === JSON.stringify(b.objections)
  )
}

/** The state the shared rules read (status and objections); the agreed content is the server's business. */
export function asSectionConsensus(clause: ClauseStatus): SectionConsensus {
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
export function describeChange(before: ClauseStatus, after: ClauseStatus, label: string): string | null {
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
