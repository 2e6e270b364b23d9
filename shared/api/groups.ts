/** API.md "Groups and deliverables", the group part: the bodies the server accepts and the group it answers. */
import { z } from 'zod'
import { GROUP_ACTIONS } from '../domain/policy.ts'
import { GROUP_ROLES } from '../domain/types.ts'
import { fields, withMembersAndAbilities } from './fields.ts'

export const createGroupBody = z.object({
  name: fields.name,
  /** A working group's focus group; a focus group has none. */
  parentId: fields.id.optional(),
})
export type CreateGroupBody = z.infer<typeof createGroupBody>

export const groupRoleBody = z.object({ role: z.enum(GROUP_ROLES) })
export type GroupRoleBody = z.infer<typeof groupRoleBody>

/** A group with the caller's abilities on it, as the policy decides them. */
export const apiGroup = withMembersAndAbilities(GROUP_ROLES, GROUP_ACTIONS).extend({
  name: z.string(),
  parentId: z.string().nullable(),
})
export type ApiGroup = z.infer<typeof apiGroup>
