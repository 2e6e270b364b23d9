/**
 * A clause's objections: who objected, why, and the replacement text they suggest. Editors see what a suggestion
 * changes, word by word, and then apply it in one step; the author withdraws; a chair dismisses with the reason it
 * was not sustained. Closed objections stay visible, folded, with how they were closed.
 */
import type { Editor } from '@tiptap/core'
import { type FormEvent, useId, useRef, useState } from 'react'
import type { Objection } from '../../shared/domain/types.ts'
import type { ApiUser } from '../api/types.ts'
import type { ObjectionOptions } from './actionOptions.ts'
import type { HistoryEvent } from './consensusApi.ts'
import { formatWhen } from './formatWhen.ts'
import { SuggestionPreview } from './SuggestionPreview.tsx'
import { userName } from './useClauseRecord.ts'

interface Props {
  objections: readonly Objection[]
  optionsFor: (objection: Objection) => ObjectionOptions
  /** Why applying is not possible now (null: possible; undefined: not for this user). */
  applyBlocked: string | null | undefined
  /** The editor the suggestion is previewed against and applied in, and the clause it applies to. */
  editor: Editor | null
  clauseId: string
  /** Resolves true when the suggestion was applied. */
  onApply: (objection: Objection) => boolean
  onWithdraw: (objection: Objection) => Promise<boolean>
  onDismiss: (objection: Objection, note: string) => Promise<boolean>
  users: ReadonlyMap<string, ApiUser>
  events: readonly HistoryEvent[] | null
  busy: boolean
}

export function ObjectionList(props: Props) {
  const open = props.objections.filter((o) => o.open)
  const closed = props.objections.filter((o) => !o.open)
  return (
    <>
      {open.length === 0 ? (
        <p className="hint">No open objections.</p>
      ) : (
        <ul className="objection-list">
          {open.map((objection) => (
            <ObjectionItem key={objection.id} objection={objection} {...props} />
          ))}
        </ul>
      )}
      {closed.length > 0 && (
        <details className="closed-objections">
          <summary>
            {closed.length} closed {closed.length === 1 ? 'objection' : 'objections'}
          </summary>
          <ul className="objection-list">
            {closed.map((objection) => (
              <ObjectionItem key={objection.id} objection={objection} {...props} />
            ))}
          </ul>
        </details>
      )}
    </>
  )
}

function ObjectionItem({ objection, ...props }: Props & { objection: Objection }) {
  const options = props.optionsFor(objection)
  const [dismissing, setDismissing] = useState(false)
  const [previewing, setPreviewing] = useState(false)
  const dismissButton = useRef<HTMLButtonElement>(null)
  const applyButton = useRef<HTMLButtonElement>(null)
  const closePreview = () => {
    setPreviewing(false)
    requestAnimationFrame(() => applyButton.current?.focus())
  }
  const raised = props.events?.find((e) => e.action === 'object' && e.objectionId === objection.id)
  const who = userName(props.users, objection.userId)
  const id = useId()
  return (
    <li
      className={`objection${objection.open ? '' : ' closed'}`}
      aria-labelledby={`${id}-who`}
      data-testid="objection"
    >
      <p className="objection-meta" id={`${id}-who`}>
        <strong>{who}</strong>
        {raised && <span className="muted"> · {formatWhen(raised.at)}</span>}
        {!objection.open && <span className="muted"> · {objection.closedBy ?? 'closed'}</span>}
      </p>
      <p className="objection-note">{objection.note}</p>
      {objection.suggestion && (
        <figure className="suggestion">
          <figcaption>Suggested text</figcaption>
          <blockquote data-testid="suggestion-text">{objection.suggestion}</blockquote>
        </figure>
      )}
      {objection.open && (
        <div className="objection-actions">
          {objection.suggestion && props.applyBlocked !== undefined && (
            <button
              type="button"
              ref={applyButton}
              className="button small primary"
              aria-disabled={props.applyBlocked !== null || !props.editor || undefined}
              aria-describedby={props.applyBlocked ? `${id}-apply-why` : undefined}
              aria-expanded={previewing}
              onClick={() => props.applyBlocked === null && props.editor && setPreviewing((shown) => !shown)}
            >
              Apply suggestion…<span className="visually-hidden"> of {who}</span>
            </button>
          )}
          {options.withdraw && (
            <button
              type="button"
              className="button small"
              aria-disabled={options.withdraw.blocked !== null || props.busy || undefined}
              onClick={() => !options.withdraw?.blocked && !props.busy && void props.onWithdraw(objection)}
            >
              Withdraw my objection
            </button>
          )}
          {options.dismiss && !dismissing && (
            <button
              type="button"
              ref={dismissButton}
              className="button small"
              aria-disabled={options.dismiss.blocked !== null || undefined}
              onClick={() => !options.dismiss?.blocked && setDismissing(true)}
            >
              Dismiss…<span className="visually-hidden"> the objection of {who}</span>
            </button>
          )}
          {props.applyBlocked && objection.suggestion && (
            <span id={`${id}-apply-why`} className="action-reason">
              {props.applyBlocked}
            </span>
          )}
        </div>
      )}
      {previewing && objection.open && objection.suggestion && props.editor && (
        <SuggestionPreview
          editor={props.editor}
          clauseId={props.clauseId}
          suggestion={objection.suggestion}
          blocked={props.applyBlocked ?? null}
          onCancel={closePreview}
          onApply={() => props.onApply(objection) && closePreview()}
        />
      )}
      {dismissing && (
        <DismissForm
          who={who}
          busy={props.busy}
          onCancel={() => {
            setDismissing(false)
            requestAnimationFrame(() => dismissButton.current?.focus())
          }}
          onSubmit={async (note) => {
            if (await props.onDismiss(objection, note)) setDismissing(false)
          }}
        />
      )}
    </li>
  )
}

function DismissForm(props: {
  who: string
  busy: boolean
  onCancel: () => void
  onSubmit: (note: string) => void
}) {
  const [note, setNote] = useState('')
  const [missing, setMissing] = useState(false)
  const id = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (props.busy) return
    if (!note.trim()) return setMissing(true)
    props.onSubmit(note.trim())
  }
  return (
    <form
      className="action-form"
      aria-label={`Dismiss the objection of ${props.who}`}
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && props.onCancel()}
    >
      <div className="field">
        <label htmlFor={`${id}-note`}>
          Why the objection is not sustained<span aria-hidden="true"> *</span>
        </label>
        <textarea
          id={`${id}-note`}
          rows={2}
          value={note}
          aria-required
          // biome-ignore lint/a11y/noAutofocus: the form opens on the user's request; typing starts here
          autoFocus
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-missing` : undefined}
          onChange={(event) => setNote(event.target.value)}
        />
        {missing && (
          <p id={`${id}-missing`} className="field-error" role="alert">
            Please give the reason: it goes on the record.
          </p>
        )}
      </div>
      <div className="form-buttons">
        <button type="submit" className="button small primary" aria-disabled={props.busy || undefined}>
          Dismiss objection
        </button>
        <button type="button" className="button small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
