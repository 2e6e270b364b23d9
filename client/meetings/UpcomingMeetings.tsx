/** The workspace's list of open and upcoming meetings, each linking to its page. */
import { Link } from 'react-router-dom'
import { ordinal } from '../../shared/domain/meetings.ts'
import { useResource } from '../api/useResource.ts'
import { meetingsApi } from './meetingsApi.ts'

export function UpcomingMeetings({ mayPlan }: { mayPlan: boolean }) {
  const loaded = useResource(() => meetingsApi.list(), [])
  const now = Date.now()
  const shown = (loaded.data?.meetings ?? []).filter(
    (m) => m.status === 'open' || (m.status === 'scheduled' && Date.parse(m.end) > now),
  )
  if (shown.length === 0 && !mayPlan) return null
  return (
    <section className="group-card" aria-labelledby="meetings-heading">
      <div className="group-heading">
        <h2 id="meetings-heading">Meetings</h2>
        {mayPlan && (
          <Link to="/meetings/new" className="button small">
            New meeting
          </Link>
        )}
      </div>
      {shown.length === 0 ? (
        <p className="muted">No meetings planned.</p>
      ) : (
        <ul>
          {shown.map((m) => (
            <li key={m.id}>
              <Link to={`/meetings/${m.id}`}>{m.title}</Link> ({ordinal(m.number)} meeting,{' '}
              {m.place ?? 'remote'}, {new Date(m.start).toLocaleDateString()})
              {m.status === 'open' && <strong> · in progress</strong>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
