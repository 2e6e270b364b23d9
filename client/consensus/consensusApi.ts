/** The consensus calls of the HTTP API (docs/API.md "Consensus"), typed as the client reads them. */
import type { ClauseContribution, ClauseSuggestion } from '../../shared/api/clauseHistory.ts'
import type { Section } from '../../shared/api/sections.ts'
import type { ConsensusAction } from '../../shared/domain/consensus.ts'
import { http } from '../api/http.ts'
import type { ApiUser } from '../api/types.ts'

export interface HistoryEvent {
  action: ConsensusAction
  userId: string
  at: string
  note: string | null
  meetingId: string | null
  hash?: string
  objectionId?: string | null
  suggestion?: string | null
}

/** The history's answer: the decisions, and what led to changes of the clause (docs/API.md). */
export interface ClauseHistoryAnswer {
  events: HistoryEvent[]
  contributions?: ClauseContribution[]
  suggestions?: ClauseSuggestion[] | null
}

export interface ActionBody {
  action: ConsensusAction
  note?: string
  objectionId?: string
  suggestion?: string
  textHash?: string
}

const id = (value: string) => encodeURIComponent(value)
const sectionPath = (deliverableId: string, sectionId: string) =>
  `/api/deliverables/${id(deliverableId)}/sections/${id(sectionId)}`

export const consensusApi = {
  act: (deliverableId: string, sectionId: string, body: ActionBody) =>
    http.post<{ section: Section }>(`${sectionPath(deliverableId, sectionId)}/actions`, body),
  // The panel's background reads (read again after failures): a session that ended is the editor screen's to
  // explain, with what the user typed kept, so their 401 does not send the user to the login page on its own.
  history: (deliverableId: string, sectionId: string, signal?: AbortSignal) =>
    http.get<ClauseHistoryAnswer>(`${sectionPath(deliverableId, sectionId)}/history`, {
      signal,
      quietUnauthorized: true,
    }),
  section: (deliverableId: string, sectionId: string, signal?: AbortSignal) =>
    http.get<{ section: Section }>(sectionPath(deliverableId, sectionId), {
      signal,
      quietUnauthorized: true,
    }),
  users: (signal?: AbortSignal) => http.get<{ users: ApiUser[] }>('/api/users', { signal }),
}
