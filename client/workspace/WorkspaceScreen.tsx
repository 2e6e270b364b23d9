import { Link } from 'react-router-dom'
import { useMe } from '../account/auth.tsx'
import { api } from '../api/endpoints.ts'
import type { ApiDeliverable, ApiGroup, ApiUser } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { UpcomingMeetings } from '../meetings/UpcomingMeetings.tsx'
import { EmptyState, ErrorNote, Loading, PageHeader } from '../shell/ui.tsx'
import { DeliverableTable } from './DeliverableTable.tsx'

interface Workspace {
  groups: ApiGroup[]
  deliverables: ApiDeliverable[]
  users: ApiUser[]
}

async function loadWorkspace(): Promise<Workspace> {
  const [groups, deliverables, users] = await Promise.all([
    api.groups(),
    api.deliverables(),
    api.users().catch(() => ({ users: [] as ApiUser[] })),
  ])
  return { groups: groups.groups, deliverables: deliverables.deliverables, users: users.users }
}

/** The focus group, its working groups and their deliverables, with what the user may do on each. */
export function WorkspaceScreen() {
  const me = useMe()
  const workspace = useResource(() => loadWorkspace(), [])
  const data = workspace.data
  const canCreateDeliverable = data?.groups.some((g) => g.abilities['create-deliverable']) ?? false
  const canImport = data?.groups.some((g) => g.abilities['import-deliverable']) ?? false

  return (
    <>
      <PageHeader title="Workspace">
        {me.admin && (
          <Link to="/groups/new" className="button">
            New group
          </Link>
        )}
        {canImport && (
          <Link to="/deliverables/import" className="button">
            Import Word
          </Link>
        )}
        {canCreateDeliverable && (
          <Link to="/deliverables/new" className="button primary">
            New deliverable
          </Link>
        )}
      </PageHeader>
      {workspace.loading && !data && <Loading what="the workspace" />}
      <ErrorNote error={workspace.error} />
      <UpcomingMeetings mayPlan={data?.groups.some((g) => g.abilities['manage-members']) ?? false} />
      {data && <GroupTree data={data} isAdmin={me.admin} />}
    </>
  )
}

function GroupTree({ data, isAdmin }: { data: Workspace; isAdmin: boolean }) {
  const roots = data.groups.filter((g) => !g.parentId || !data.groups.some((p) => p.id === g.parentId))
  const childrenOf = (id: string) => data.groups.filter((g) => g.parentId === id)
  const byGroup = (id: string) => data.deliverables.filter((d) => d.groupId === id)
  const orphans = data.deliverables.filter((d) => !data.groups.some((g) => g.id === d.groupId))

  if (roots.length === 0 && orphans.length === 0) {
    return (
      <EmptyState>
        <p>There are no groups or deliverables you can see yet.</p>
        {isAdmin ? (
          <p>
            Start by <Link to="/groups/new">creating the focus group</Link>, then its working groups.
          </p>
        ) : (
          <p>Ask the secretariat or a working group chair to add you to a group or a deliverable.</p>
        )}
      </EmptyState>
    )
  }

  return (
    <div className="group-tree">
      {roots.map((root) => (
        <section key={root.id} className="group-card" aria-labelledby={`group-${root.id}`}>
          <GroupHeading group={root} level={2} />
          <DeliverableTable deliverables={byGroup(root.id)} users={data.users} />
          {childrenOf(root.id).map((wg) => (
            <section key={wg.id} className="subgroup" aria-labelledby={`group-${wg.id}`}>
              <GroupHeading group={wg} level={3} />
              <DeliverableTable deliverables={byGroup(wg.id)} users={data.users} />
            </section>
          ))}
          {childrenOf(root.id).length === 0 && isAdmin && (
            <p className="hint">
              No working groups yet. <Link to={`/groups/new?parent=${root.id}`}>Create a working group</Link>.
            </p>
          )}
        </section>
      ))}
      {orphans.length > 0 && (
        <section className="group-card" aria-labelledby="group-other">
          <h2 id="group-other">Other deliverables</h2>
          <DeliverableTable deliverables={orphans} users={data.users} />
        </section>
      )}
    </div>
  )
}

function GroupHeading({ group, level }: { group: ApiGroup; level: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3'
  return (
    <div className="group-heading">
      <Heading id={`group-${group.id}`}>{group.name}</Heading>
      <div className="group-actions">
        {group.abilities['create-deliverable'] && (
          <Link to={`/deliverables/new?group=${group.id}`} className="button small">
            New deliverable<span className="visually-hidden"> in {group.name}</span>
          </Link>
        )}
        {group.abilities['manage-members'] && (
          <Link to={`/groups/${group.id}/members`} className="button small">
            Members<span className="visually-hidden"> of {group.name}</span>
          </Link>
        )}
      </div>
    </div>
  )
}
