/**
 * ONE table for the authorization matrix: every HTTP route of the API with how to call it and the answer the
 * policy owes each caller, derived from the shared policy functions (`mayGlobally`, `mayOnGroup`,
 * `mayOnDeliverable`) applied to the caller and the stored objects, never written out per cell.
 */
import {
  type DeliverableAction,
  mayGlobally,
  mayOnDeliverable,
  mayOnGroup,
} from '../../../shared/domain/policy.ts'
import type { Deliverable, Group, User } from '../../../shared/domain/types.ts'
import type { Session } from '../../support/factories.ts'

export const ROLES = [
  'admin',
  'chair',
  'parentChair',
  'editor',
  'participant',
  'observer',
  'outsider',
  'anonymous',
  'revoked',
] as const
export type Role = (typeof ROLES)[number]

/** What a cell may need: the objects of the workspace and things made fresh for it. */
export interface Targets {
  deliverable: Deliverable
  group: Group
  lookup: (id: string) => Group | undefined
  parentGroupId: string
  /** A user nobody else relies on: made fresh for cells that change or remove one. */
  throwaway: string
  /** A clause in draft, fresh for cells that act on one. */
  draftSection: string
  /** Any existing section. */
  section: string
  /** A second session of the caller, for login and logout cells (which end the presented session). */
  spareCookie: string | undefined
  callerEmail: string
  callerPassword: string
}

export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The route as docs/API.md writes it. */
  route: string
  path: (t: Targets) => string
  body?: (t: Targets) => unknown
  /** The status every caller gets, signed in or not (public routes). */
  everyone?: number
  /** The status for a signed-in user; callers without a live session get 401. */
  expect?: (user: User, t: Targets) => number
  /** Which fresh things the cell needs. */
  needs?: ('throwaway' | 'draftSection' | 'spareSession')[]
  /** Present the caller's spare session instead of the shared one. */
  presentsSpare?: boolean
}

const deliverableGate =
  (action: DeliverableAction | null, allowed: number) =>
  (user: User, t: Targets): number => {
    if (!mayOnDeliverable(user, 'view', t.deliverable, t.lookup)) return 404
    if (action && !mayOnDeliverable(user, action, t.deliverable, t.lookup)) return 403
    return allowed
  }

const groupGate =
  (action: 'manage-members' | 'create-deliverable', allowed: number) => (user: User, t: Targets) =>
    mayOnGroup(user, action, t.group, t.lookup) ? allowed : 403

let serial = 0
const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`

export const ROUTES: RouteCase[] = [
  { method: 'GET', route: '/api/health', path: () => '/api/health', everyone: 200 },
  { method: 'GET', route: '/api/setup', path: () => '/api/setup', everyone: 200 },
  {
    method: 'POST',
    route: '/api/setup',
    path: () => '/api/setup',
    body: () => ({
      token: 'not-the-token',
      email: `late-${unique()}@example.org`,
      name: 'Late',
      password: 'long enough pw',
    }),
    everyone: 409,
  },
  {
    method: 'POST',
    route: '/api/auth/login',
    path: () => '/api/auth/login',
    body: (t) => ({ email: t.callerEmail, password: t.callerPassword }),
    // The caller's own credentials; a caller without an account tries a wrong password.
    everyone: Number.NaN,
    needs: ['spareSession'],
    presentsSpare: true,
  },
  {
    method: 'POST',
    route: '/api/auth/logout',
    path: () => '/api/auth/logout',
    everyone: 204,
    needs: ['spareSession'],
    presentsSpare: true,
  },
  { method: 'GET', route: '/api/me', path: () => '/api/me', expect: () => 200 },
  { method: 'GET', route: '/api/users', path: () => '/api/users', expect: () => 200 },
  {
    method: 'POST',
    route: '/api/users',
    path: () => '/api/users',
    body: () => ({ email: `made-${unique()}@example.org`, name: 'Made', password: 'long enough pw' }),
    expect: (user) => (mayGlobally(user, 'create-user') ? 201 : 403),
  },
  {
    method: 'DELETE',
    route: '/api/users/:id',
    path: (t) => `/api/users/${t.throwaway}`,
    expect: (user) => (mayGlobally(user, 'create-user') ? 204 : 403),
    needs: ['throwaway'],
  },
  { method: 'GET', route: '/api/groups', path: () => '/api/groups', expect: () => 200 },
  {
    method: 'POST',
    route: '/api/groups',
    path: () => '/api/groups',
    body: (t) => ({ name: `WG ${unique()}`, parentId: t.parentGroupId }),
    expect: (user) => (mayGlobally(user, 'create-group') ? 201 : 403),
  },
  {
    method: 'PUT',
    route: '/api/groups/:id/members/:userId',
    path: (t) => `/api/groups/${t.group.id}/members/${t.throwaway}`,
    body: () => ({ role: 'member' }),
    expect: groupGate('manage-members', 200),
    needs: ['throwaway'],
  },
  {
    method: 'DELETE',
    route: '/api/groups/:id/members/:userId',
    path: (t) => `/api/groups/${t.group.id}/members/${t.throwaway}`,
    expect: groupGate('manage-members', 204),
    needs: ['throwaway'],
  },
  { method: 'GET', route: '/api/deliverables', path: () => '/api/deliverables', expect: () => 200 },
  {
    method: 'POST',
    route: '/api/deliverables',
    path: () => '/api/deliverables',
    body: (t) => ({ title: `Made ${unique()}`, type: 'roadmap', groupId: t.group.id }),
    expect: groupGate('create-deliverable', 201),
  },
  {
    method: 'GET',
    route: '/api/deliverables/:id',
    path: (t) => `/api/deliverables/${t.deliverable.id}`,
    expect: deliverableGate(null, 200),
  },
  {
    method: 'GET',
    route: '/api/deliverables/:id/sections/:sectionId',
    path: (t) => `/api/deliverables/${t.deliverable.id}/sections/${t.section}`,
    expect: deliverableGate(null, 200),
  },
  {
    method: 'PUT',
    route: '/api/deliverables/:id/members/:userId',
    path: (t) => `/api/deliverables/${t.deliverable.id}/members/${t.throwaway}`,
    body: () => ({ role: 'observer' }),
    expect: deliverableGate('manage-members', 200),
    needs: ['throwaway'],
  },
  {
    method: 'DELETE',
    route: '/api/deliverables/:id/members/:userId',
    path: (t) => `/api/deliverables/${t.deliverable.id}/members/${t.throwaway}`,
    expect: deliverableGate('manage-members', 204),
    needs: ['throwaway'],
  },
  {
    method: 'POST',
    route: '/api/deliverables/:id/sections/:sectionId/actions',
    path: (t) => `/api/deliverables/${t.deliverable.id}/sections/${t.draftSection}/actions`,
    body: () => ({ action: 'propose' }),
    expect: deliverableGate('propose', 200),
    needs: ['draftSection'],
  },
  {
    method: 'GET',
    route: '/api/deliverables/:id/sections/:sectionId/history',
    path: (t) => `/api/deliverables/${t.deliverable.id}/sections/${t.section}/history`,
    expect: deliverableGate(null, 200),
  },
]

export const isStateChanging = (route: RouteCase) => route.method !== 'GET'

/** The answer a caller is owed: null user means no live session. */
export function expectedStatus(route: RouteCase, user: User | null, t: Targets, hasAccount: boolean): number {
  if (route.route === '/api/auth/login') return hasAccount ? 200 : 401
  if (route.everyone !== undefined) return route.everyone
  if (!user) return 401
  return route.expect!(user, t)
}

export type Sessions = Record<Exclude<Role, 'anonymous'>, Session> & { anonymous: null }
