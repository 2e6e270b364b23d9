/**
 * A contribution's Word file on the meeting page: a download link once it has one, and, for whom the server lists
 * it as attachable, a file field to upload (or replace) the .docx. The server checks the file; its refusal is shown
 * by the page like any other.
 */
import { useId, useState } from 'react'
import type { ApiMeeting } from '../../shared/api/meetings.ts'
import type { Contribution } from '../../shared/domain/meetings.ts'
import { meetingsApi } from './meetingsApi.ts'

const DOCX = '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document'

function size(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function ContributionFile({
  meeting,
  contribution,
  run,
}: {
  meeting: ApiMeeting
  contribution: Contribution
  run: (action: () => Promise<unknown>) => void
}) {
  const [file, setFile] = useState<File | null>(null)
  const id = useId()
  const document = contribution.document
  const mayAttach = meeting.attachable?.includes(contribution.id) ?? false
  return (
    <div className="contribution-file">
      {document ? (
        <a href={meetingsApi.documentUrl(meeting.id, contribution.id)} download={document.fileName}>
          {document.fileName}
          <span className="muted"> ({size(document.bytes)})</span>
        </a>
      ) : (
        <span className="muted">No file</span>
      )}
      {mayAttach && (
        <form
          className="meeting-request"
          aria-label={`The Word file of ${contribution.number}`}
          onSubmit={(event) => {
            event.preventDefault()
            if (file) run(() => meetingsApi.attachDocument(meeting.id, contribution.id, file))
          }}
        >
          <label htmlFor={id}>{document ? 'Replace the .docx' : 'Attach the .docx'}</label>
          <input
            id={id}
            type="file"
            accept={DOCX}
            onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
          />
          <button type="submit" className="button small" disabled={!file}>
            Upload<span className="visually-hidden"> the file of {contribution.number}</span>
          </button>
        </form>
      )}
    </div>
  )
}
