/**
 * API.md "Groups and deliverables", the deliverable part: the bodies the server accepts and the deliverable it
 * answers. Sections are described where the clause tree is (`server/domain/sections.ts`), not here.
 */
import { z } from 'zod'
import { DELIVERABLE_ACTIONS } from '../domain/policy.ts'
import { DELIVERABLE_ROLES, DELIVERABLE_TYPES } from '../domain/types.ts'
import { fields, withMembersAndAbilities } from './fields.ts'

export const createDeliverableBody = z.object({
  title: fields.title,
  type: z.enum(DELIVERABLE_TYPES),
  groupId: fields.id.min(1),
})
export type CreateDeliverableBody = z.infer<typeof createDeliverableBody>

export const deliverableRoleBody = z.object({ role: z.enum(DELIVERABLE_ROLES) })
export type DeliverableRoleBody = z.infer<typeof deliverableRoleBody>

/** A deliverable with the caller's abilities; `progress` is null while its document cannot be read. */
export const apiDeliverable = withMembersAndAbilities(DELIVERABLE_ROLES, DELIVERABLE_ACTIONS).extend({
  title: z.string(),
  type: z.enum(DELIVERABLE_TYPES),
  groupId: z.string(),
  createdAt: z.string(),
  progress: z.object({ agreed: z.number(), total: z.number() }).nullable(),
})
export type ApiDeliverable = z.infer<typeof apiDeliverable>
