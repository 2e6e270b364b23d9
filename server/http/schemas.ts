/** Bodies of the HTTP API (API.md), one schema per request. */
import { z } from 'zod'
import { CONSENSUS_ACTIONS } from '../../shared/domain/consensus.ts'
import { DELIVERABLE_ROLES, DELIVERABLE_TYPES, GROUP_ROLES } from '../../shared/domain/types.ts'
import { schemas } from './validation.ts'

export const setupBody = z.object({
  token: z.string().min(1).max(200),
  email: schemas.email,
  name: schemas.name,
  password: schemas.password,
  organization: schemas.organization.optional(),
})

export const loginBody = z.object({
  email: z.string().max(254),
  password: z.string().max(200),
})

export const createUserBody = z.object({
  email: schemas.email,
  name: schemas.name,
  password: schemas.password,
  organization: schemas.organization.optional(),
  admin: z.boolean().optional(),
})

export const createGroupBody = z.object({
  name: schemas.name,
  parentId: z.string().max(64).optional(),
})

export const groupRoleBody = z.object({ role: z.enum(GROUP_ROLES) })

export const createDeliverableBody = z.object({
  title: schemas.title,
  type: z.enum(DELIVERABLE_TYPES),
  groupId: z.string().min(1).max(64),
})

export const deliverableRoleBody = z.object({ role: z.enum(DELIVERABLE_ROLES) })

export const sectionActionBody = z.object({
  action: z.enum(CONSENSUS_ACTIONS),
  note: schemas.note.optional(),
  meetingId: z.string().max(64).optional(),
  objectionId: z.string().max(64).optional(),
  suggestion: schemas.suggestion.optional(),
  textHash: z.string().max(100).optional(),
})
