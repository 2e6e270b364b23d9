/** API.md "Consensus": the body of an action on a section and the entries of its decision history. */
import { z } from 'zod'
import { CONSENSUS_ACTIONS } from '../domain/consensus.ts'
import { fields } from './fields.ts'

/**
 * Every input is optional here on purpose: which ones an action needs is the consensus rules' input check
 * (`shared/domain/consensusInput.ts`), asked after the policy, so that a role that may never take the action
 * hears 403 rather than 400.
 */
export const sectionActionBody = z.object({
  action: z.enum(CONSENSUS_ACTIONS),
  note: fields.note.optional(),
  /** Accepted and ignored: the server alone says which meeting a decision was taken in (API.md "Meetings"). */
  meetingId: fields.id.optional(),
  objectionId: fields.id.optional(),
  suggestion: fields.suggestion.optional(),
  /** The section's `hash` as the caller read it: `agree` then agrees to exactly that content. */
  textHash: z.string().max(100).optional(),
})
export type SectionActionBody = z.infer<typeof sectionActionBody>

/** One decision of a section's history, oldest first. */
export const apiDecision = z.object({
  action: z.enum(CONSENSUS_ACTIONS),
  userId: z.string(),
  at: z.string(),
  note: z.string().nullable(),
  meetingId: z.string().nullable(),
  /** The section's hash when the decision was taken. */
  hash: z.string(),
  objectionId: z.string().nullable(),
  suggestion: z.string().nullable(),
})
export type ApiDecision = z.infer<typeof apiDecision>
