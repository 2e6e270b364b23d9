/** Plain data shared by the server, the client and the tests. No I/O here. */

export const DELIVERABLE_TYPES = [
  'terms',
  'use-cases',
  'requirements',
  'gap-analysis',
  'technical-report',
  'roadmap',
  'final-report',
] as const
export type DeliverableType = (typeof DELIVERABLE_TYPES)[number]

export const GROUP_ROLES = ['chair', 'member'] as const
export type GroupRole = (typeof GROUP_ROLES)[number]

export const DELIVERABLE_ROLES = ['editor', 'participant', 'observer'] as const
export type DeliverableRole = (typeof DELIVERABLE_ROLES)[number]

export const SECTION_STATUSES = ['draft', 'proposed', 'agreed'] as const
export type SectionStatus = (typeof SECTION_STATUSES)[number]

export interface User {
  id: string
  email: string
  name: string
  organization: string
  admin: boolean
}

export interface Group {
  id: string
  name: string
  parentId: string | null
  /** userId -> role in this group */
  members: Record<string, GroupRole>
}

export interface Deliverable {
  id: string
  title: string
  type: DeliverableType
  groupId: string
  /** userId -> role on this deliverable */
  members: Record<string, DeliverableRole>
  createdAt: string
  /** The document header of its exports (DOMAIN.md "Document header"); each field has a default when absent. */
  header?: DocumentHeaderFields
}

export const DOCUMENT_PURPOSES = [
  'Discussion',
  'Information',
  'Proposal',
  'Agreement',
  'Approval',
  'Admin',
  'Other',
] as const

export interface DocumentHeaderFields {
  documentNumber?: string
  group?: string
  studyPeriod?: string
  workingGroup?: string
  meeting?: string
  source?: string
  purpose?: (typeof DOCUMENT_PURPOSES)[number]
  contacts?: string[]
  keywords?: string
  abstract?: string
}

export interface Objection {
  id: string
  userId: string
  note: string
  suggestion: string | null
  open: boolean
  /** how it was closed: withdrawn by its author or dismissed by a chair */
  closedBy?: 'withdrawn' | 'dismissed'
}
