/** Typed calls for the meetings API (docs/API.md "Meetings (details)"). */
import type {
  ActionItemBody,
  AgendaBody,
  ApiMeeting,
  ApiMeetingDecision,
  ContributionBody,
  CreateMeetingBody,
} from '../../shared/api/meetings.ts'
import type { DispositionKind } from '../../shared/domain/meetings.ts'
import type { MeetingCommand, MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { http } from '../api/http.ts'

const base = (id: string) => `/api/meetings/${encodeURIComponent(id)}`

const documentPath = (id: string, contributionId: string) =>
  `${base(id)}/contributions/${encodeURIComponent(contributionId)}/document`

export const meetingsApi = {
  list: () => http.get<{ meetings: ApiMeeting[] }>('/api/meetings'),
  create: (body: CreateMeetingBody) => http.post<{ meeting: ApiMeeting }>('/api/meetings', body),
  agenda: (id: string, items: AgendaBody['items']) =>
    http.put<{ meeting: ApiMeeting }>(`${base(id)}/agenda`, { items }),
  contribute: (id: string, body: ContributionBody) =>
    http.post<{ meeting: ApiMeeting }>(`${base(id)}/contributions`, body),
  actionItem: (id: string, body: ActionItemBody) =>
    http.post<{ meeting: ApiMeeting }>(`${base(id)}/action-items`, body),
  get: (id: string) => http.get<{ meeting: ApiMeeting }>(base(id)),
  decisions: (id: string) => http.get<{ decisions: ApiMeetingDecision[] }>(`${base(id)}/decisions`),
  open: (id: string) => http.post<{ meeting: ApiMeeting }>(`${base(id)}/open`),
  close: (id: string) => http.post<{ meeting: ApiMeeting }>(`${base(id)}/close`),
  disposition: (id: string, contributionId: string, disposition: DispositionKind, note: string) =>
    http.post<{ meeting: ApiMeeting }>(
      `${base(id)}/contributions/${encodeURIComponent(contributionId)}/disposition`,
      note ? { disposition, note } : { disposition },
    ),
  attachDocument: (id: string, contributionId: string, file: File) => {
    const form = new FormData()
    form.set('file', file, file.name)
    return http.put<{ meeting: ApiMeeting }>(documentPath(id, contributionId), form)
  },
  documentUrl: (id: string, contributionId: string) => documentPath(id, contributionId),
  liveOn: (deliverableId: string) =>
    http.get<{ state: MeetingLiveState | null }>(
      `/api/meetings/live?deliverableId=${encodeURIComponent(deliverableId)}`,
    ),
  live: (id: string) => http.get<{ state: MeetingLiveState | null }>(`${base(id)}/live`),
  command: (id: string, action: MeetingCommand) =>
    http.post<{ state: MeetingLiveState | null }>(`${base(id)}/live`, { action }),
  reportUrl: (id: string, format: 'md' | 'docx') => `${base(id)}/report?format=${format}`,
}
