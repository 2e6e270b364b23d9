/** `GET /api/meetings/:id/report?format=docx|md`: the meeting report as a file. */
import type { Meeting } from '../../../shared/domain/meetings.ts'
import type { ConsensusService } from '../../domain/consensusService.ts'
import type { MeetingService } from '../../domain/meetingService.ts'
import type { MetadataStore } from '../../storage/metadataStore.ts'
import { meetingDecisions } from '../decisions.ts'
import { markdownReport } from './markdownReport.ts'
import { buildReport, meetingTitle } from './reportModel.ts'
import { wordReport } from './wordReport.ts'

export interface ReportFile {
  contentType: string
  fileName: string
  body: Buffer | string
}

export async function writeMeetingReport(
  meeting: Meeting,
  format: 'md' | 'docx',
  parts: { meetings: MeetingService; consensus: ConsensusService; metadata: MetadataStore },
): Promise<ReportFile> {
  const groupName = parts.metadata.group(meeting.groupId)?.name ?? ''
  const users = parts.metadata.data.users
  const blocks = buildReport({
    meeting,
    groupName,
    decisions: await meetingDecisions(meeting, parts),
    userName: (id) => users.find((u) => u.id === id)?.name ?? id,
  })
  const base = `meeting-${meeting.number}-report`
  if (format === 'md')
    return {
      contentType: 'text/markdown; charset=utf-8',
      fileName: `${base}.md`,
      body: markdownReport(blocks),
    }
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    fileName: `${base}.docx`,
    body: await wordReport(blocks, meetingTitle(meeting, groupName)),
  }
}
