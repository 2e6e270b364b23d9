/** The shapes the HTTP API answers with (docs/API.md), as the client reads them; sections: shared/api/sections.ts. */
import type { DeliverableAction, GroupAction } from '../../shared/domain/policy.ts'
import type { DeliverableRole, DeliverableType, GroupRole } from '../../shared/domain/types.ts'

export interface ApiUser {
  id: string
  email: string
  name: string
  organization: string
  admin: boolean
  color?: string
}

export interface Member<Role extends string> {
  userId: string
  role: Role
}

export interface ApiGroup {
  id: string
  name: string
  parentId: string | null
  members: Member<GroupRole>[]
  abilities: Partial<Record<GroupAction, boolean>>
}

export interface ApiDeliverable {
  id: string
  title: string
  type: DeliverableType
  groupId: string
  createdAt?: string
  members: Member<DeliverableRole>[]
  progress?: { agreed: number; total: number }
  abilities: Partial<Record<DeliverableAction, boolean>>
}

export const DELIVERABLE_TYPE_LABELS: Record<DeliverableType, string> = {
  terms: 'Terms and definitions',
  'use-cases': 'Use cases',
  requirements: 'Requirements',
  'gap-analysis': 'Gap analysis',
  'technical-report': 'Technical report',
  roadmap: 'Roadmap',
  'final-report': 'Final report',
}
