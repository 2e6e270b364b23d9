/**
 * API.md "Meetings" and docs/API.md "Meetings (details)": the bodies the server accepts for meetings, their agenda,
 * contributions, dispositions and action items, and the live meeting commands (`meeting` messages on the sync
 * socket and `POST /api/meetings/:id/live`).
 */
import { z } from 'zod'
import { CONTRIBUTION_NUMBER, DISPOSITIONS, isTimeZone, type Meeting } from '../domain/meetings.ts'
import type { MeetingCommand } from '../domain/meetingsLive.ts'
import type { MeetingAbilities } from '../domain/policy.ts'
import { fields } from './fields.ts'

const isoDate = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date and time' })

export const createMeetingBody = z
  .object({
    groupId: fields.id,
    title: fields.title,
    start: isoDate,
    end: isoDate,
    /** Absent or empty: a remote meeting. */
    place: z.string().trim().max(200).optional(),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Geneva')
      .optional(),
    deliverableIds: z.array(fields.id).max(100).optional(),
  })
  .refine((m) => Date.parse(m.end) > Date.parse(m.start), {
    message: 'end: must be after start',
    path: ['end'],
  })
export type CreateMeetingBody = z.infer<typeof createMeetingBody>

const clauseRef = z.object({ deliverableId: fields.id, sectionId: fields.id })

export const agendaBody = z.object({
  items: z
    .array(
      z.object({
        /** Kept when given (an existing item); a new item gets one. */
        id: fields.id.optional(),
        title: fields.title,
        timeboxMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .nullable()
          .optional(),
        clauses: z.array(clauseRef).max(50).optional(),
        contributionIds: z.array(fields.id).max(100).optional(),
      }),
    )
    .max(200),
})
export type AgendaBody = z.infer<typeof agendaBody>

export const contributionBody = z.object({
  number: z.string().trim().toUpperCase().max(40).regex(CONTRIBUTION_NUMBER, 'must look like FGMV-I-012'),
  title: fields.title,
  sources: z.array(fields.organization).min(1, 'must name at least one organization').max(30),
  /** The presenting member; the registering user when absent. */
  presenterId: fields.id.optional(),
  targets: z
    .array(z.object({ deliverableId: fields.id, sectionId: fields.id.nullable().optional() }))
    .max(50)
    .optional(),
})
export type ContributionBody = z.infer<typeof contributionBody>

export const dispositionBody = z
  .object({ disposition: z.enum(DISPOSITIONS), note: fields.note.optional() })
  .refine((d) => d.disposition !== 'withdrawn' || (d.note?.length ?? 0) > 0, {
    message: 'note: a withdrawal needs a note',
    path: ['note'],
  })
export type DispositionBody = z.infer<typeof dispositionBody>

export const actionItemBody = z
  .object({
    text: fields.title,
    ownerId: fields.id.optional(),
    /** A free owner ("Editors", someone not registered) when no member is named. */
    owner: fields.name.optional(),
  })
  .refine((a) => a.ownerId !== undefined || a.owner !== undefined, {
    message: 'owner: name an owner (ownerId or owner)',
    path: ['owner'],
  })
export type ActionItemBody = z.infer<typeof actionItemBody>

const optionalId = fields.id.nullable().optional()

/** One live meeting command; the same shape over the socket and over HTTP. */
export const meetingCommand: z.ZodType<MeetingCommand> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('discuss'),
    agendaItemId: optionalId,
    deliverableId: optionalId,
    sectionId: optionalId,
  }),
  z.object({ kind: z.literal('set-presenter'), userId: fields.id.nullable() }),
  z.object({
    kind: z.literal('request-floor'),
    note: z.string().trim().max(300).optional(),
    reply: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('withdraw') }),
  z.object({ kind: z.literal('next') }),
  z.object({
    kind: z.literal('add-speaker'),
    name: fields.name,
    organization: fields.organization.optional(),
    note: z.string().trim().max(300).optional(),
  }),
  z.object({ kind: z.literal('remove-entry'), entryId: fields.id }),
  z.object({ kind: z.literal('queue-open'), open: z.boolean() }),
  z.object({ kind: z.literal('speaking-time'), seconds: z.number().int().min(10).max(3600).nullable() }),
  z.object({ kind: z.literal('follow'), following: z.boolean() }),
])

/** The body of `POST /api/meetings/:id/live` and of a `meeting` message: `{meetingId, action}`. */
export const meetingLiveBody = z.object({ action: meetingCommand })

/** A meeting as answered, with the caller's abilities on it. */
export interface ApiMeeting extends Meeting {
  abilities: MeetingAbilities
  /** The contributions whose Word file the caller may attach (policy action `attach-document`). */
  attachable: string[]
}

/** One decision taken during a meeting, in the order taken. */
export interface ApiMeetingDecision {
  deliverableId: string
  deliverableTitle: string
  sectionId: string
  /** The clause's number and title now (a removed clause: its last known, or empty). */
  number: string
  title: string
  action: string
  note: string | null
  userId: string
  userName: string
  at: string
  /** The first 12 hex digits of the clause's hash at the decision (the agreed text's, for `agree`). */
  hash12: string
  hash: string
  /** Contributions of the meeting that target this clause. */
  contributions: { id: string; number: string }[]
}
