/** Small building blocks every screen uses, so labels, errors and the way back look and read the same. */
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react'
import { Link } from 'react-router-dom'
import { errorMessage } from '../api/http.ts'

export function PageHeader({
  title,
  back,
  children,
}: {
  title: string
  back?: BackLink
  children?: ReactNode
}) {
  return (
    <div className="page-header">
      {back && (
        <Link to={back.to} className="back-link">
          <span aria-hidden="true">← </span>
          {back.label}
        </Link>
      )}
      <div className="page-title-row">
        <h1>{title}</h1>
        {children && <div className="page-actions">{children}</div>}
      </div>
    </div>
  )
}

export interface BackLink {
  to: string
  label: string
}

interface Labelled {
  label: string
  hint?: string
}

/** What ties a control to its label and hint; a field's control spreads it. */
interface ControlIds {
  id: string
  'aria-describedby': string | undefined
}

/** A form field's label, control and hint, tied together by ids (generated unless `id` is given). */
function FieldFrame({
  label,
  hint,
  id,
  control,
}: Labelled & { id: string | undefined; control: (ids: ControlIds) => ReactNode }) {
  const generated = useId()
  const controlId = id ?? generated
  const hintId = hint ? `${controlId}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {control({ id: controlId, 'aria-describedby': hintId })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}

export function Field({ label, hint, id, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return <FieldFrame label={label} hint={hint} id={id} control={(ids) => <input {...ids} {...input} />} />
}

/** One option of a select: the value sent, the words shown. */
export interface Choice {
  value: string
  label: string
}

/** The choices for each of `values`, in their order, shown by their `labels`. */
export function choicesOf<Value extends string>(
  values: readonly Value[],
  labels: Record<Value, string>,
): Choice[] {
  return values.map((value) => ({ value, label: labels[value] }))
}

/** A select's options; for a select that adds its own (an "All" first, say). */
export function Choices({ choices }: { choices: readonly Choice[] }) {
  return choices.map((choice) => (
    <option key={choice.value} value={choice.value}>
      {choice.label}
    </option>
  ))
}

export function SelectField({
  label,
  hint,
  id,
  choices,
  ...select
}: Labelled & { choices: readonly Choice[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      id={id}
      control={(ids) => (
        <select {...ids} {...select}>
          <Choices choices={choices} />
        </select>
      )}
    />
  )
}

/** The input settings of a password someone chooses now: the same rule on every screen that sets one. */
export const NEW_PASSWORD = {
  name: 'password',
  type: 'password',
  required: true,
  minLength: 8,
  autoComplete: 'new-password',
} as const satisfies InputHTMLAttributes<HTMLInputElement>

/** The last column header of a table whose rows end in buttons or links; read by screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span className="visually-hidden">Actions</span>
    </th>
  )
}

/** A table's header row: the named columns, then the screen-reader-only actions column when the rows have actions. */
export function TableHead({ columns, actions = true }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {actions && <ActionsHeader />}
      </tr>
    </thead>
  )
}

/** The end of a form: its error, then the submit button, which says what is happening while busy (if told). */
export function FormSubmit({
  error,
  busy,
  label,
  busyLabel = label,
}: {
  error: unknown
  busy: boolean
  label: string
  busyLabel?: string
}) {
  return (
    <>
      <ErrorNote error={error} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </>
  )
}

/** A table cell's placeholder when there is nothing to show. */
export function NoValue() {
  return <span className="muted">–</span>
}

/** An error in words, announced when it appears. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null
  return (
    <p className="error-note" role="alert">
      {typeof error === 'string' ? error : errorMessage(error)}
    </p>
  )
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  )
}
