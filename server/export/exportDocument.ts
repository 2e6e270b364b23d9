/**
 * Everything a writer prints, gathered in one value: the document header (DOMAIN.md "Document header"), the laid
 * out clauses (with revision marks when asked), the change log and the consensus record. Plain data: the writers
 * (docx, HTML, Markdown) only format it.
 */
import type { DecisionEvent, SectionConsensus } from '../../shared/domain/consensus.ts'
import { DISPOSITION_LABELS, type DispositionKind } from '../../shared/domain/meetings.ts'
import type { DeliverableType } from '../../shared/domain/types.ts'
import { inlineText, type ModelClause } from './documentModel.ts'
import type { LaidOutClause } from './layout.ts'
import type { PendingRevisions } from './pendingRevisions.ts'

export interface HeaderInfo {
  documentNumber: string
  group: string
  studyPeriod: string
  workingGroup: string
  meeting: string
  source: string
  title: string
  purpose: string
  contacts: string[]
  keywords: string
  abstract: string
}

export interface ConsensusRow {
  number: string
  title: string
  status: string
  meeting: string
  date: string
  /** The first 12 hex digits of the agreed text's hash; empty when not agreed. */
  hash12: string
}

export interface ExportDocument {
  type: DeliverableType
  header: HeaderInfo
  clauses: LaidOutClause[]
  changeLog: string[]
  consensus: ConsensusRow[]
  /** Set when the clauses carry revision marks; the date written on them. */
  revisionDate: string | null
  /** Revision marks still to apply (by the writer, off the event loop for .docx): pendingRevisions.ts. */
  pendingRevisions: PendingRevisions | null
  agreedOnly: boolean
  /** Word comments anchored by the clauses' comment marks (annotationsDocx.ts); absent: none. */
  comments?: WordComment[]
}

export interface WordComment {
  id: number
  author: string
  initials: string
  /** ISO 8601. */
  date: string
  /** Paragraphs separated by newlines. */
  text: string
  /** The Word id of the thread's first comment, for a reply. */
  parentId?: number
}

/**
 * A meeting as the change log and the consensus record name it: its number and title, and the contributions it
 * agreed (with or without modifications) that propose to change this deliverable, with the clauses they target
 * (null: the deliverable as a whole).
 */
export interface MeetingOfRecord {
  id: string
  label: string
  contributions: { number: string; disposition: DispositionKind; sectionIds: (string | null)[] }[]
}

/** `sha256-<hex>` → its first 12 hex digits. */
export const hash12 = (hash: string): string => hash.replace(/^sha256-/, '').slice(0, 12)

const day = (iso: string) => iso.slice(0, 10)

export function consensusRows(
  clauses: readonly ModelClause[],
  stateOf: (id: string) => SectionConsensus,
  lastAgreement: (id: string) => DecisionEvent | undefined,
  meetings: readonly MeetingOfRecord[] = [],
): ConsensusRow[] {
  const labels = new Map(meetings.map((m) => [m.id, m.label]))
  return clauses.map((clause) => {
    const state = stateOf(clause.id)
    const agreement = state.status === 'agreed' ? lastAgreement(clause.id) : undefined
    return {
      number: clause.number,
      title: inlineText(clause.title),
      status: state.status,
      meeting: agreement?.meetingId
        ? (labels.get(agreement.meetingId) ?? agreement.meetingId)
        : agreement
          ? 'outside a meeting'
          : '',
      date: state.agreed ? day(state.agreed.at) : '',
      hash12: state.agreed ? hash12(state.agreed.hash) : '',
    }
  })
}

/**
 * The change log written from the decision record: for each meeting (or, outside meetings, each day) the clauses
 * agreed and reopened, oldest first, and the contributions the meeting agreed that led to those changes, as
 * "Clauses 1, 2 agreed at meeting 5, "Geneva" (2026-07-04), from FGMV-I-012 (agreed with modifications)."
 */
export function changeLog(
  events: readonly DecisionEvent[],
  clauses: readonly ModelClause[],
  meetings: readonly MeetingOfRecord[] = [],
): string[] {
  const label = new Map(clauses.map((c) => [c.id, c.number || inlineText(c.title)]))
  const byId = new Map(meetings.map((m) => [m.id, m]))
  const groups = new Map<
    string,
    { meeting: string | null; date: string; agreed: string[]; reopened: string[]; sectionIds: Set<string> }
  >()
  for (const event of events) {
    if (event.action !== 'agree' && event.action !== 'reopen') continue
    const key = event.meetingId ?? `day:${day(event.at)}`
    const group = groups.get(key) ?? {
      meeting: event.meetingId,
      date: day(event.at),
      agreed: [],
      reopened: [],
      sectionIds: new Set<string>(),
    }
    const name = label.get(event.sectionId) ?? 'a clause since removed'
    const list = event.action === 'agree' ? group.agreed : group.reopened
    if (!list.includes(name)) list.push(name)
    group.sectionIds.add(event.sectionId)
    groups.set(key, group)
  }
  if (groups.size === 0) return ['No clause of this text has been agreed yet.']
  return [...groups.values()].map((g) => {
    const meeting = g.meeting ? byId.get(g.meeting) : undefined
    const where = g.meeting
      ? `at ${meeting?.label ?? `meeting ${g.meeting}`} (${g.date})`
      : `on ${g.date}, outside a meeting`
    const parts: string[] = []
    if (g.agreed.length > 0) parts.push(`${clauseList(g.agreed)} agreed`)
    if (g.reopened.length > 0) parts.push(`${clauseList(g.reopened)} reopened`)
    const from = (meeting?.contributions ?? []).filter((c) =>
      c.sectionIds.some((id) => id === null || g.sectionIds.has(id)),
    )
    const sources =
      from.length > 0
        ? `, from ${from.map((c) => `${c.number} (${DISPOSITION_LABELS[c.disposition].toLowerCase()})`).join(', ')}`
        : ''
    return `${parts.join('; ')} ${where}${sources}.`
  })
}

const clauseList = (names: string[]) => `${names.length === 1 ? 'Clause' : 'Clauses'} ${names.join(', ')}`
