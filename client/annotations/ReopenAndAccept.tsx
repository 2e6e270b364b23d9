/**
 * "Reopen and accept" (issue 24): a suggestion made on an agreed clause is a proposal to reopen it. A chair who
 * accepts it reopens the clause with a reason and accepts the suggestion in one step; the server records both (a
 * reopen in the decision record, the acceptance with the suggestion) or does neither.
 */
import { type FormEvent, useId, useRef, useState } from 'react'
import type { PresentedSuggestion } from '../../shared/api/annotations.ts'
import { ErrorNote } from '../shell/ui.tsx'
import { annotationsApi } from './annotationsApi.ts'
import type { AnnotationsController } from './useAnnotations.ts'
import { useRequest } from './useRequest.ts'

interface Props {
  suggestion: PresentedSuggestion
  annotations: AnnotationsController
  clauseLabel: string
}

export function ReopenAndAccept({ suggestion, annotations, clauseLabel }: Props) {
  const author = annotations.authorName(suggestion.authorId)
  const [open, setOpen] = useState(false)
  const [note, setNote] = useState(`Reopened to accept the suggestion by ${author}.`)
  const request = useRequest()
  const toggle = useRef<HTMLButtonElement>(null)
  const formId = useId()
  const noteId = useId()

  const close = () => {
    setOpen(false)
    toggle.current?.focus()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void request.run(async () => {
      const reopenNote = note.trim()
      const answer = await annotationsApi.decide(annotations.deliverableId, suggestion.id, 'accept', {
        reopenNote,
      })
      annotations.merge([], [answer.suggestion])
      annotations.announce(`${clauseLabel} reopened and the suggestion accepted`)
    })
  }

  return (
    <>
      <button
        ref={toggle}
        type="button"
        className="button small primary"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        disabled={request.busy}
        onClick={() => setOpen((shown) => !shown)}
      >
        Reopen and accept…<span className="visually-hidden"> suggestion by {author}</span>
      </button>
      {open && (
        <form id={formId} className="reopen-accept" onSubmit={submit} data-testid="reopen-and-accept">
          <p className="small">
            The clause is agreed. Accepting reopens it (back to draft) and applies the suggestion; both are
            recorded.
          </p>
          <label htmlFor={noteId}>Reason for reopening</label>
          <textarea
            id={noteId}
            rows={2}
            required
            value={note}
            onChange={(event) => setNote(event.target.value)}
            // biome-ignore lint/a11y/noAutofocus: the form opens on request; its one field is what comes next
            autoFocus
          />
          <button type="submit" className="button small primary" disabled={request.busy || !note.trim()}>
            Reopen and accept
          </button>
          <button type="button" className="button small" onClick={close}>
            Cancel
          </button>
        </form>
      )}
      <ErrorNote error={request.error} />
    </>
  )
}
