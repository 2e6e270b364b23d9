/** Request validation with zod: one place turns a schema failure into a 400 a person can act on. */
import { z } from 'zod'
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

function isControlCharacter(char: string): boolean {
  const code = char.charCodeAt(0)
  return code < 0x20 || code === 0x7f
}

const trimmed = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // Control characters have no place in names and titles (newlines neither).
    .refine((v) => ![...v].some(isControlCharacter), 'must not contain control characters')

export const schemas = {
  email: z.email('must be an e-mail address').max(254),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  name: trimmed(120),
  organization: trimmed(160),
  title: trimmed(300),
  note: z.string().trim().max(5000, 'must be at most 5000 characters'),
  suggestion: z.string().max(50_000, 'must be at most 50000 characters'),
}
