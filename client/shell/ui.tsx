/** Small building blocks every screen uses, so labels, errors and the way back look and read the same. */
import { type InputHTMLAttributes, type ReactNode, useId } from 'react'
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

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string
  hint?: string
}

export function Field({ label, hint, id, ...input }: FieldProps) {
  const generated = useId()
  const inputId = id ?? generated
  const hintId = hint ? `${inputId}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-describedby={hintId} {...input} />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
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

/** The end of a form: its error, then the submit button, which says what is happening while busy. */
export function FormSubmit({
  error,
  busy,
  label,
  busyLabel,
}: {
  error: unknown
  busy: boolean
  label: string
  busyLabel: string
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
