import { Link } from 'react-router-dom'
import type { DeliverableRole } from '../../shared/domain/types.ts'
import { type ApiDeliverable, type ApiUser, DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { memberList } from '../members/members.ts'
import { NoValue, TableHead } from '../shell/ui.tsx'

export function DeliverableTable({
  deliverables,
  users,
}: {
  deliverables: ApiDeliverable[]
  users: ApiUser[]
}) {
  if (deliverables.length === 0) return <p className="hint">No deliverables yet.</p>
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? 'Unknown user'
  return (
    <table className="deliverables">
      <TableHead columns={['Deliverable', 'Type', 'Editors', 'Consensus']} />
      <tbody>
        {deliverables.map((d) => {
          const editors = memberList<DeliverableRole>(d.members).filter((m) => m.role === 'editor')
          return (
            <tr key={d.id}>
              <th scope="row">
                <Link to={`/d/${d.id}`}>{d.title}</Link>
              </th>
              <td>{DELIVERABLE_TYPE_LABELS[d.type] ?? d.type}</td>
              <td>
                {editors.length ? (
                  editors.map((e) => nameOf(e.userId)).join(', ')
                ) : (
                  <span className="muted">None</span>
                )}
              </td>
              <td>
                <Progress progress={d.progress} />
              </td>
              <td className="row-actions">
                {d.abilities['manage-members'] && (
                  <Link to={`/d/${d.id}/members`}>
                    Members<span className="visually-hidden"> of {d.title}</span>
                  </Link>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function Progress({ progress }: { progress: ApiDeliverable['progress'] }) {
  if (!progress) return <NoValue />
  const { agreed, total } = progress
  const label = `${agreed} of ${total} clauses agreed`
  return (
    <span className="progress">
      <span className="progress-bar" aria-hidden="true">
        <span style={{ width: total ? `${(agreed / total) * 100}%` : '0%' }} />
      </span>
      {label}
    </span>
  )
}
