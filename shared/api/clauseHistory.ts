/**
 * What `GET /api/deliverables/:id/sections/:sectionId/history` answers beside its decision `events` (API.md
 * "Consensus"; docs/API.md "Consensus (beyond the contract)"): the contributions that target the clause, with
 * their meeting and disposition, and the suggestions made on it, with who decided them and when.
 */

import type { SuggestionStatus } from '../domain/annotations.ts'
import type { Disposition } from '../domain/meetings.ts'

export interface ClauseContribution {
  meetingId: string
  meetingTitle: string
  contributionId: string
  number: string
  title: string
  registeredAt: string
  /** Null while the meeting has not treated it. */
  disposition: Disposition | null
}

export interface ClauseSuggestion {
  id: string
  authorId: string
  createdAt: string
  original: string
  replacement: string
  status: SuggestionStatus
  decidedBy: string | null
  decidedAt: string | null
}
