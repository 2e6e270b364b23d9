/**
 * A meeting's decisions as its page and report list them: every consensus action taken while it was open, in the
 * order taken, with the clause's number and title, the first 12 hex digits of the clause's hash (for `agree`, the
 * agreed text's) and the meeting's contributions that target the clause.
 */
import type { ApiMeetingDecision } from '../../shared/api/meetings.ts'
import type { Meeting } from '../../shared/domain/meetings.ts'
import type { ConsensusService } from '../domain/consensusService.ts'
import type { MeetingService } from '../domain/meetingService.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'

/** `sha256-0123…` → its first 12 hex digits. */
export function hash12(hash: string): string {
  return hash.replace(/^sha256-/, '').slice(0, 12)
}

export async function meetingDecisions(
  meeting: Meeting,
  parts: { meetings: MeetingService; consensus: ConsensusService; metadata: MetadataStore },
): Promise<ApiMeetingDecision[]> {
  const decisions: ApiMeetingDecision[] = []
  for (const deliverable of parts.meetings.treated(meeting)) {
    const events = await parts.consensus.decisionsIn(deliverable.id, meeting.id).catch(() => [])
    if (events.length === 0) continue
    const sections = await parts.consensus.sections(deliverable.id).catch(() => [])
    const output = meeting.outputs.find((o) => o.deliverableId === deliverable.id)
    for (const event of events) {
      const clause =
        sections.find((s) => s.id === event.sectionId) ??
        output?.clauses.find((c) => c.sectionId === event.sectionId)
      decisions.push({
        deliverableId: deliverable.id,
        deliverableTitle: deliverable.title,
        sectionId: event.sectionId,
        number: clause?.number ?? '',
        title: clause?.title ?? '',
        action: event.action,
        note: event.note,
        userId: event.userId,
        userName: parts.metadata.data.users.find((u) => u.id === event.userId)?.name ?? event.userId,
        at: event.at,
        hash: event.hash,
        hash12: hash12(event.hash),
        contributions: meeting.contributions
          .filter((c) =>
            c.targets.some((t) => t.deliverableId === deliverable.id && t.sectionId === event.sectionId),
          )
          .map((c) => ({ id: c.id, number: c.number })),
      })
    }
  }
  return decisions.sort((a, b) => a.at.localeCompare(b.at))
}
