/** API.md "Accounts": the bodies the server accepts and the user it answers with. */
import { z } from 'zod'
import { fields } from './fields.ts'

export const setupBody = z.object({
  token: z.string().min(1).max(200),
  email: fields.email,
  name: fields.name,
  password: fields.password,
  organization: fields.organization.optional(),
})
export type SetupBody = z.infer<typeof setupBody>

/** Only bounded: a login names an existing account, so its e-mail and password rules are not asked again. */
export const loginBody = z.object({
  email: z.string().max(254),
  password: z.string().max(200),
})
export type LoginBody = z.infer<typeof loginBody>

export const createUserBody = z.object({
  email: fields.email,
  name: fields.name,
  password: fields.password,
  organization: fields.organization.optional(),
  admin: z.boolean().optional(),
})
export type CreateUserBody = z.infer<typeof createUserBody>

/** A user as every answer shows one: never the password hash. `color` is the presence colour. */
export const apiUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  organization: z.string(),
  admin: z.boolean(),
  color: z.string(),
})
export type ApiUser = z.infer<typeof apiUser>
