/** Request validation with zod: one place turns a schema failure into a 400 a person can act on. */
import type { z } from 'zod'
import { isWellFormedId } from '../../shared/domain/ids.ts'
import { NotFoundError, ValidationError } from '../errors.ts'

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {})
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  throw new ValidationError(`${where}${issue?.message ?? 'invalid request body'}`)
}

/** Route ids are opaque but well-formed; anything else (traversal, odd characters) cannot name a resource. */
export function routeId(value: string | string[] | undefined): string {
  if (typeof value !== 'string' || !isWellFormedId(value)) throw new NotFoundError()
  return value
}

/** The group or deliverable and the user of a member route (`/:id/members/:userId`). */
export function memberRoute(params: Record<string, string | string[] | undefined>): {
  id: string
  userId: string
} {
  return { id: routeId(params.id), userId: routeId(params.userId) }
}
