/** Typed calls for each API resource (docs/API.md). */
import type { Section } from '../../shared/api/sections.ts'
import type { DeliverableRole, DeliverableType, GroupRole } from '../../shared/domain/types.ts'
import { http } from './http.ts'
import type { ApiDeliverable, ApiGroup, ApiUser } from './types.ts'

const id = (value: string) => encodeURIComponent(value)

export const api = {
  setupNeeded: () => http.get<{ needed: boolean }>('/api/setup'),
  setup: (body: { token: string; email: string; name: string; password: string; organization?: string }) =>
    http.post<{ user: ApiUser }>('/api/setup', body, { quietUnauthorized: true }),
  login: (email: string, password: string) =>
    http.post<{ user: ApiUser }>('/api/auth/login', { email, password }, { quietUnauthorized: true }),
  logout: () => http.post<void>('/api/auth/logout', undefined, { quietUnauthorized: true }),
  me: () => http.get<{ user: ApiUser }>('/api/me', { quietUnauthorized: true }),

  users: () => http.get<{ users: ApiUser[] }>('/api/users'),
  createUser: (body: {
    email: string
    name: string
    password: string
    organization?: string
    admin?: boolean
  }) => http.post<{ user: ApiUser }>('/api/users', body),
  removeUser: (userId: string) => http.delete<void>(`/api/users/${id(userId)}`),

  groups: () => http.get<{ groups: ApiGroup[] }>('/api/groups'),
  createGroup: (body: { name: string; parentId?: string }) =>
    http.post<{ group: ApiGroup }>('/api/groups', body),
  setGroupRole: (groupId: string, userId: string, role: GroupRole) =>
    http.put<unknown>(`/api/groups/${id(groupId)}/members/${id(userId)}`, { role }),
  removeGroupMember: (groupId: string, userId: string) =>
    http.delete<void>(`/api/groups/${id(groupId)}/members/${id(userId)}`),

  deliverables: () => http.get<{ deliverables: ApiDeliverable[] }>('/api/deliverables'),
  deliverable: (deliverableId: string) =>
    http.get<{ deliverable: ApiDeliverable; sections: Section[] }>(`/api/deliverables/${id(deliverableId)}`),
  createDeliverable: (body: { title: string; type: DeliverableType; groupId: string }) =>
    http.post<{ deliverable: ApiDeliverable }>('/api/deliverables', body),
  setDeliverableRole: (deliverableId: string, userId: string, role: DeliverableRole) =>
    http.put<unknown>(`/api/deliverables/${id(deliverableId)}/members/${id(userId)}`, { role }),
  removeDeliverableMember: (deliverableId: string, userId: string) =>
    http.delete<void>(`/api/deliverables/${id(deliverableId)}/members/${id(userId)}`),
}
