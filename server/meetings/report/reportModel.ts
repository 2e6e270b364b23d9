/**
 * An ITU-style meeting report as a writer-neutral outline (headings, paragraphs, tables): meeting data,
 * attendance, agenda, contributions with their dispositions, decisions per deliverable and clause (agreements with
 * the first 12 hex digits of the agreed text's hash, objections and how they were handled, reopenings), action
 * items and the output of each treated deliverable. The Markdown and Word writers only lay it out.
 */
import type { ApiMeetingDecision } from '../../../shared/api/meetings.ts'
import { DISPOSITION_LABELS, type Meeting, ordinal } from '../../../shared/domain/meetings.ts'

export type ReportBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] }

export interface ReportInput {
  meeting: Meeting
  groupName: string
  decisions: ApiMeetingDecision[]
  userName: (id: string) => string
}

const ACTION_WORDS: Record<string, string> = {
  propose: 'Proposed for agreement',
  object: 'Objection raised',
  'withdraw-objection': 'Objection withdrawn by its author',
  'dismiss-objection': 'Objection not sustained (dismissed by the chair)',
  agree: 'Agreed',
  reopen: 'Reopened',
}

/** "2026-03-08 09:00" in the meeting's time zone. */
function local(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso))
  return parts.replace(',', '')
}

export function meetingTitle(meeting: Meeting, groupName: string): string {
  return `Report of the ${ordinal(meeting.number)} meeting of ${groupName}: ${meeting.title}`
}

export function buildReport(input: ReportInput): ReportBlock[] {
  const { meeting, decisions, userName } = input
  const tz = meeting.timeZone
  const blocks: ReportBlock[] = [{ kind: 'heading', level: 1, text: meetingTitle(meeting, input.groupName) }]
  blocks.push({
    kind: 'table',
    header: ['Meeting', ''],
    rows: [
      ['Group', input.groupName],
      ['Meeting', `${ordinal(meeting.number)} meeting: ${meeting.title}`],
      ['Place', meeting.place ?? 'Remote'],
      ['Dates', `${local(meeting.start, tz)} to ${local(meeting.end, tz)} (${tz})`],
      ['Status', meeting.status],
    ],
  })

  blocks.push({ kind: 'heading', level: 2, text: '1 Attendance' })
  if (meeting.attendance.length === 0) blocks.push({ kind: 'para', text: 'No attendance was recorded.' })
  else
    blocks.push({
      kind: 'table',
      header: ['Name', 'Organization'],
      rows: meeting.attendance.map((a) => [a.name, a.organization]),
    })

  blocks.push({ kind: 'heading', level: 2, text: '2 Agenda' })
  if (meeting.agenda.length === 0) blocks.push({ kind: 'para', text: 'No agenda was recorded.' })
  meeting.agenda.forEach((item, index) => {
    const box = item.timeboxMinutes ? ` (${item.timeboxMinutes} min)` : ''
    blocks.push({ kind: 'para', text: `${index + 1}. ${item.title}${box}` })
  })

  blocks.push({ kind: 'heading', level: 2, text: '3 Contributions' })
  if (meeting.contributions.length === 0) blocks.push({ kind: 'para', text: 'No contributions.' })
  else
    blocks.push({
      kind: 'table',
      header: ['Number', 'Title', 'Source', 'Presented by', 'Disposition'],
      rows: meeting.contributions.map((c) => [
        c.number,
        c.title,
        c.sources.join(', '),
        userName(c.presenterId),
        c.disposition
          ? `${DISPOSITION_LABELS[c.disposition.kind]}${c.disposition.note ? `: ${c.disposition.note}` : ''}`
          : 'Not treated',
      ]),
    })

  blocks.push({ kind: 'heading', level: 2, text: '4 Decisions' })
  if (decisions.length === 0) blocks.push({ kind: 'para', text: 'No decisions were taken.' })
  for (const title of [...new Set(decisions.map((d) => d.deliverableTitle))]) {
    blocks.push({ kind: 'heading', level: 3, text: title })
    blocks.push({
      kind: 'table',
      header: ['Clause', 'Decision', 'Note', 'Time', 'Text hash', 'Contributions'],
      rows: decisions
        .filter((d) => d.deliverableTitle === title)
        .map((d) => [
          `${d.number} ${d.title}`.trim(),
          `${ACTION_WORDS[d.action] ?? d.action} (${d.userName})`,
          d.note ?? '',
          local(d.at, tz),
          d.hash12,
          d.contributions.map((c) => c.number).join(', '),
        ]),
    })
  }

  blocks.push({ kind: 'heading', level: 2, text: '5 Action items' })
  if (meeting.actionItems.length === 0) blocks.push({ kind: 'para', text: 'None.' })
  for (const item of meeting.actionItems)
    blocks.push({ kind: 'para', text: `ACTION: ${item.text} (${item.ownerName})` })

  blocks.push({ kind: 'heading', level: 2, text: '6 Outputs' })
  if (meeting.outputs.length === 0)
    blocks.push({
      kind: 'para',
      text: meeting.status === 'closed' ? 'None.' : 'Recorded when the meeting closes.',
    })
  for (const output of meeting.outputs) {
    const agreed = output.clauses.filter((c) => c.status === 'agreed').length
    blocks.push({
      kind: 'para',
      text: `Output of ${meeting.title}: ${output.title}, ${agreed} of ${output.clauses.length} clauses agreed.`,
    })
  }
  return blocks
}
