/**
 * The clause history's entries beyond the decision record: the contributions that proposed to change the clause
 * (in the meetings the user may see, with their disposition) and the suggestions made on it (read through the
 * annotation service, never written here). Both oldest first, like the decisions.
 */
import type { ClauseContribution, ClauseSuggestion } from '../../shared/api/clauseHistory.ts'
import type { Deliverable, User } from '../../shared/domain/types.ts'
import type { AnnotationService } from '../domain/annotationService.ts'
import type { MeetingService } from '../domain/meetingService.ts'

export function clauseContributions(
  meetings: MeetingService,
  user: User,
  deliverable: Deliverable,
  sectionId: string,
): ClauseContribution[] {
  return meetings
    .listVisible(user)
    .flatMap((meeting) =>
      meeting.contributions
        .filter((c) => c.targets.some((t) => t.deliverableId === deliverable.id && t.sectionId === sectionId))
        .map((c) => ({
          meetingId: meeting.id,
          meetingTitle: meeting.title,
          contributionId: c.id,
          number: c.number,
          title: c.title,
          registeredAt: c.registeredAt,
          disposition: c.disposition,
        })),
    )
    .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt))
}

/** Null when the annotations cannot be read (a damaged log): the decisions are answered all the same. */
export async function clauseSuggestions(
  annotations: AnnotationService,
  deliverable: Deliverable,
  sectionId: string,
): Promise<ClauseSuggestion[] | null> {
  const all = await annotations.suggestions(deliverable).catch(() => null)
  if (!all) return null
  return all
    .filter((s) => s.sectionId === sectionId)
    .map((s) => ({
      id: s.id,
      authorId: s.authorId,
      createdAt: s.createdAt,
      original: s.original,
      replacement: s.replacement,
      status: s.status,
      decidedBy: s.decidedBy,
      decidedAt: s.decidedAt,
    }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}
