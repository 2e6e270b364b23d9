/**
 * The clause's actions as the user may take them now: a button per action the role allows, disabled (focusable,
 * with the reason) when the clause's state does not allow it, and the inputs each needs in a small form.
 */
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import type { ActionOption, ClauseAction } from './actionOptions.ts'
import type { ActionBody } from './consensusApi.ts'

const LABELS: Record<ClauseAction, string> = {
  propose: 'Propose for agreement',
  object: 'Object…',
  agree: 'Agree…',
  reopen: 'Reopen…',
}

interface FormSpec {
  title: string
  submit: string
  /** The required reason, or the optional note. */
  note: { label: string; required: boolean; hint?: string }
  suggestion?: boolean
  intro?: string
}

const FORMS: Partial<Record<ClauseAction, FormSpec>> = {
  object: {
    title: 'Raise an objection',
    submit: 'Raise objection',
    note: { label: 'Reason for the objection', required: true },
    suggestion: true,
  },
  agree: {
    title: 'Declare consensus',
    submit: 'Agree to this text',
    intro: 'You agree to the clause exactly as it shows on your screen now; it is then locked.',
    note: { label: 'Note (optional)', required: false, hint: 'For the record, e.g. the meeting decision.' },
  },
  reopen: {
    title: 'Reopen the clause',
    submit: 'Reopen clause',
    intro: 'The clause goes back to draft and can be edited again.',
    note: { label: 'Reason for reopening', required: true },
  },
}

export interface Prefill {
  action: ClauseAction
  suggestion: string
  nonce: number
}

interface Props {
  options: ActionOption[]
  pending: ActionBody['action'] | null
  /** Resolves true when the server accepted the action. */
  onAct: (action: ClauseAction, inputs: { note: string; suggestion: string }) => Promise<boolean>
  prefill: Prefill | null
  clauseLabel: string
}

export function ActionForms({ options, pending, onAct, prefill, clauseLabel }: Props) {
  const [open, setOpen] = useState<ClauseAction | null>(null)
  const baseId = useId()
  const buttons = useRef(new Map<ClauseAction, HTMLButtonElement | null>())

  useEffect(() => {
    if (prefill) setOpen(prefill.action)
  }, [prefill])

  const close = (action: ClauseAction) => {
    setOpen(null)
    buttons.current.get(action)?.focus()
  }

  if (options.length === 0)
    return <p className="hint">Your role on this deliverable does not take consensus actions.</p>

  return (
    <div className="consensus-actions">
      <ul className="action-list">
        {options.map((option) => {
          const reasonId = `${baseId}-${option.action}-why`
          const form = FORMS[option.action]
          const disabled = option.blocked !== null || pending !== null
          return (
            <li key={option.action}>
              <button
                type="button"
                ref={(element) => {
                  buttons.current.set(option.action, element)
                }}
                className={`button small${option.blocked === null && !form ? ' primary' : ''}`}
                aria-disabled={disabled || undefined}
                aria-describedby={option.blocked ? reasonId : undefined}
                aria-expanded={form ? open === option.action : undefined}
                aria-controls={form && open === option.action ? `${baseId}-${option.action}-form` : undefined}
                data-action={option.action}
                onClick={() => {
                  if (disabled) return
                  if (form) setOpen(open === option.action ? null : option.action)
                  else void onAct(option.action, { note: '', suggestion: '' })
                }}
              >
                {pending === option.action && !form ? 'Proposing…' : LABELS[option.action]}
              </button>
              {option.blocked && (
                <span id={reasonId} className="action-reason">
                  {option.blocked}
                </span>
              )}
            </li>
          )
        })}
      </ul>
      {open && FORMS[open] && options.some((o) => o.action === open && o.blocked === null) && (
        <ActionForm
          key={`${open}-${prefill?.nonce ?? 0}`}
          id={`${baseId}-${open}-form`}
          spec={FORMS[open]!}
          clauseLabel={clauseLabel}
          busy={pending === open}
          initialSuggestion={prefill?.action === open ? prefill.suggestion : ''}
          onCancel={() => close(open)}
          onSubmit={async (inputs) => {
            if (await onAct(open, inputs)) close(open)
          }}
        />
      )}
    </div>
  )
}

interface FormProps {
  id: string
  spec: FormSpec
  clauseLabel: string
  busy: boolean
  initialSuggestion: string
  onCancel: () => void
  onSubmit: (inputs: { note: string; suggestion: string }) => Promise<void>
}

function ActionForm({ id, spec, clauseLabel, busy, initialSuggestion, onCancel, onSubmit }: FormProps) {
  const [note, setNote] = useState('')
  const [suggestion, setSuggestion] = useState(initialSuggestion)
  const [missing, setMissing] = useState(false)
  const noteRef = useRef<HTMLTextAreaElement>(null)
  const fieldId = useId()

  useEffect(() => noteRef.current?.focus(), [])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (spec.note.required && note.trim() === '') {
      setMissing(true)
      noteRef.current?.focus()
      return
    }
    void onSubmit({ note: note.trim(), suggestion })
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      onCancel()
    }
  }

  return (
    <form
      id={id}
      className="action-form"
      aria-label={`${spec.title}: ${clauseLabel}`}
      onSubmit={submit}
      onKeyDown={onKeyDown}
    >
      <h4>{spec.title}</h4>
      {spec.intro && <p className="field-hint">{spec.intro}</p>}
      <div className="field">
        <label htmlFor={`${fieldId}-note`}>
          {spec.note.label}
          {spec.note.required && <span aria-hidden="true"> *</span>}
        </label>
        <textarea
          id={`${fieldId}-note`}
          ref={noteRef}
          rows={3}
          value={note}
          aria-required={spec.note.required}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${fieldId}-missing` : spec.note.hint ? `${fieldId}-hint` : undefined}
          onChange={(event) => {
            setNote(event.target.value)
            if (missing) setMissing(false)
          }}
        />
        {spec.note.hint && !missing && (
          <p id={`${fieldId}-hint`} className="field-hint">
            {spec.note.hint}
          </p>
        )}
        {missing && (
          <p id={`${fieldId}-missing`} className="field-error" role="alert">
            Please give a reason: it goes on the record.
          </p>
        )}
      </div>
      {spec.suggestion && (
        <div className="field">
          <label htmlFor={`${fieldId}-suggestion`}>Suggested replacement text (optional)</label>
          <textarea
            id={`${fieldId}-suggestion`}
            rows={4}
            value={suggestion}
            aria-describedby={`${fieldId}-suggestion-hint`}
            onChange={(event) => setSuggestion(event.target.value)}
          />
          <p id={`${fieldId}-suggestion-hint`} className="field-hint">
            The clause as you propose it, or only the passage you change; write … for text left as it is. An
            editor sees the changes word by word and applies them in one step.
          </p>
        </div>
      )}
      <div className="form-buttons">
        <button type="submit" className="button small primary" aria-disabled={busy || undefined}>
          {busy ? 'Sending…' : spec.submit}
        </button>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
