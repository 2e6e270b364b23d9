import type { ApiVersion } from '../../shared/api/versions.ts'
import { formatWhen } from '../consensus/formatWhen.ts'
import { ActionsHeader, EmptyState } from '../shell/ui.tsx'

const ORIGIN_LABELS: Record<ApiVersion['origin'], string> = {
  saved: 'Saved by a member',
  'all-agreed': 'Automatic: every clause agreed',
  'meeting-closed': 'Automatic: meeting closed',
}

/** The versions, newest first, each with its actions; restore only for those the server allows. */
export function VersionList(props: {
  versions: ApiVersion[]
  busy: boolean
  canRestore: boolean
  onView: (version: ApiVersion) => void
  onCompareWithNow: (version: ApiVersion) => void
  onRestore: (version: ApiVersion) => void
}) {
  if (props.versions.length === 0)
    return (
      <EmptyState>
        <p>No version has been saved yet.</p>
      </EmptyState>
    )
  return (
    <table className="versions-table">
      <caption className="visually-hidden">Saved versions, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Saved</th>
          <th scope="col">How</th>
          <ActionsHeader />
        </tr>
      </thead>
      <tbody>
        {props.versions.map((version) => (
          <tr key={version.id}>
            <th scope="row">{version.name}</th>
            <td>
              <time dateTime={version.createdAt}>{formatWhen(version.createdAt)}</time>
            </td>
            <td>{ORIGIN_LABELS[version.origin] ?? version.origin}</td>
            <td className="row-actions">
              <RowAction
                busy={props.busy}
                onClick={() => props.onView(version)}
                label="View"
                target={version.name}
              />
              <RowAction
                busy={props.busy}
                onClick={() => props.onCompareWithNow(version)}
                label="Compare with now"
                target={version.name}
              />
              {props.canRestore && (
                <RowAction
                  busy={props.busy}
                  onClick={() => props.onRestore(version)}
                  label="Restore"
                  target={version.name}
                  danger
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A row's button: its visible label, and the row it acts on for screen readers ("Restore Output of meeting 3"). */
function RowAction(props: {
  label: string
  target: string
  busy: boolean
  danger?: boolean
  onClick: () => void
}) {
  return (
    <button
      type="button"
      className={props.danger ? 'button small danger' : 'button small'}
      disabled={props.busy}
      onClick={props.onClick}
    >
      {props.label}
      <span className="visually-hidden"> {props.target}</span>
    </button>
  )
}
