/**
 * Meetings of a group (DOMAIN.md "Meetings"; issue 23): their agenda, the contributions presented and the
 * dispositions given, action items and attendance. Plain data and rules, no I/O; the server keeps them durable
 * (server/domain/meetingService.ts), the client shows them.
 */

export const MEETING_STATUSES = ['scheduled', 'open', 'closed'] as const
export type MeetingStatus = (typeof MEETING_STATUSES)[number]

/** 3GPP-like outcomes of an input document, as ITU chairs record them. */
export const DISPOSITIONS = [
  'agreed',
  'agreed-with-modifications',
  'noted',
  'postponed',
  'withdrawn',
] as const
export type DispositionKind = (typeof DISPOSITIONS)[number]

export const DISPOSITION_LABELS: Record<DispositionKind, string> = {
  agreed: 'Agreed',
  'agreed-with-modifications': 'Agreed with modifications',
  noted: 'Noted',
  postponed: 'Postponed',
  withdrawn: 'Withdrawn',
}

/** A clause of a deliverable, named by the clause id (stable across renumbering). */
export interface ClauseRef {
  deliverableId: string
  sectionId: string
}

export interface AgendaItem {
  id: string
  title: string
  /** Minutes allotted, when the chair gave a timebox. */
  timeboxMinutes: number | null
  clauses: ClauseRef[]
  contributionIds: string[]
}

export interface Disposition {
  kind: DispositionKind
  note: string | null
  userId: string
  at: string
}

/** A contribution's Word file, kept under the data folder (its bytes are served, never parsed for display). */
export interface ContributionDocument {
  /** The stored file's id under the meeting's folder (a new upload gets a new one). */
  fileId: string
  /** As uploaded (the base name only). */
  fileName: string
  bytes: number
  /** `sha256-<hex>` of the bytes: checked when the file is read back. */
  sha256: string
  uploadedBy: string
  uploadedAt: string
}

export interface Contribution {
  id: string
  /** `FGMV-I-012` style; unique per group (over all its meetings). */
  number: string
  title: string
  /** The organizations the document comes from. */
  sources: string[]
  presenterId: string
  /** The deliverables (and optionally clauses) it proposes to change. */
  targets: { deliverableId: string; sectionId: string | null }[]
  registeredBy: string
  registeredAt: string
  disposition: Disposition | null
  /** Its .docx, once uploaded; absent from contributions registered before files were kept. */
  document?: ContributionDocument | null
}

export interface ActionItem {
  id: string
  /** "Editors to align 3.2 with Y.3090". */
  text: string
  /** A member, or a free name (someone in the room, a group: "Editors"). */
  ownerId: string | null
  ownerName: string
  userId: string
  at: string
}

export interface Attendee {
  userId: string
  name: string
  organization: string
  /** When first seen connected to one of the meeting's deliverables while it was open. */
  at: string
}

/** The clause hashes of a treated deliverable when the meeting closed (its output, without versions). */
export interface MeetingOutput {
  deliverableId: string
  title: string
  clauses: { sectionId: string; number: string; title: string; hash: string; status: string }[]
}

export interface Meeting {
  id: string
  groupId: string
  /** 1 for the group's first meeting. */
  number: number
  title: string
  /** ISO 8601. */
  start: string
  end: string
  /** IANA time zone of the venue (or of the chair, for a remote meeting). */
  timeZone: string
  /** Null: remote. */
  place: string | null
  /** The deliverables it treats; empty: every deliverable of the group and its working groups. */
  deliverableIds: string[]
  status: MeetingStatus
  openedAt: string | null
  closedAt: string | null
  createdBy: string
  createdAt: string
  agenda: AgendaItem[]
  contributions: Contribution[]
  actionItems: ActionItem[]
  attendance: Attendee[]
  outputs: MeetingOutput[]
}

/** `FGMV-I-012`: letters, digits and dashes, ending in a number. */
export const CONTRIBUTION_NUMBER = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{1,5}$/

/** Contribution numbers compare without case or leading zeros: FGMV-I-012 and fgmv-i-12 are the same document. */
export function sameContributionNumber(a: string, b: string): boolean {
  const norm = (n: string) => n.toUpperCase().replace(/-0*(\d+)$/, '-$1')
  return norm(a) === norm(b)
}

/** An IANA time zone name the runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** "3rd FG-MV meeting" style ordinal. */
export function ordinal(n: number): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`
}

/** Which state changes are allowed: open once from scheduled; close from open; a closed meeting stays closed. */
export function mayTransition(from: MeetingStatus, to: 'open' | 'close'): boolean {
  return to === 'open' ? from === 'scheduled' : from === 'open'
}
