import type { Member } from '../api/types.ts'

/** Members as a list, whether the server sends `[{userId, role}]` (docs/API.md) or a `{userId: role}` map. */
export function memberList<Role extends string>(members: unknown): Member<Role>[] {
  if (Array.isArray(members)) return members as Member<Role>[]
  if (members && typeof members === 'object') {
    return Object.entries(members as Record<string, Role>).map(([userId, role]) => ({ userId, role }))
  }
  return []
}

export function roleOf<Role extends string>(members: unknown, userId: string | undefined): Role | undefined {
  if (!userId) return undefined
  return memberList<Role>(members).find((m) => m.userId === userId)?.role
}
