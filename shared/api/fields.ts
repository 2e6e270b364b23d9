/**
 * The fields the API's bodies share, each validated once: bounded lengths, and no control characters in the
 * names and titles that every screen shows. Messages name the rule so that a person can correct the input.
 */
import { z } from 'zod'

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

export const fields = {
  email: z.email('must be an e-mail address').max(254),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  name: trimmed(120),
  organization: trimmed(160),
  title: trimmed(300),
  note: z.string().trim().max(5000, 'must be at most 5000 characters'),
  suggestion: z.string().max(50_000, 'must be at most 50000 characters'),
  /** An opaque id named in a body; whether it names anything is the server's question. */
  id: z.string().max(64),
}

/** A `{userId, role}` entry of a group's or deliverable's member list. */
export const member = <Role extends readonly [string, ...string[]]>(roles: Role) =>
  z.object({ userId: z.string(), role: z.enum(roles) })

/**
 * What every answered group and deliverable carries: its id, its member list and the caller's abilities on it, one
 * boolean per action of the policy.
 */
export const withMembersAndAbilities = <
  Role extends readonly [string, ...string[]],
  Action extends readonly [string, ...string[]],
>(
  roles: Role,
  actions: Action,
) =>
  z.object({
    id: z.string(),
    members: z.array(member(roles)),
    abilities: z.record(z.enum(actions), z.boolean()),
  })
