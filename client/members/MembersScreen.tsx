import { useParams } from 'react-router-dom'
import {
  DELIVERABLE_ROLES,
  type DeliverableRole,
  GROUP_ROLES,
  type GroupRole,
} from '../../shared/domain/types.ts'
import { api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import { useResource } from '../api/useResource.ts'
import { ErrorNote, Loading, PageHeader } from '../shell/ui.tsx'
import { MemberEditor } from './MemberEditor.tsx'
import { memberList } from './members.ts'

const back = { to: '/', label: 'Back to the workspace' }

export function GroupMembersScreen() {
  const { id = '' } = useParams()
  const data = useResource(async () => {
    const [groups, users] = await Promise.all([api.groups(), api.users()])
    const group = groups.groups.find((g) => g.id === id)
    if (!group) throw new ApiError(404, 'not_found', 'This group does not exist, or you cannot see it.')
    return { group, users: users.users }
  }, [id])
  const group = data.data?.group
  return (
    <>
      <PageHeader title={group ? `Members of ${group.name}` : 'Group members'} back={back} />
      {data.loading && !group && <Loading what="members" />}
      <ErrorNote error={data.error} />
      {group && data.data && (
        <MemberEditor<GroupRole>
          subject={group.name}
          roles={GROUP_ROLES}
          members={memberList<GroupRole>(group.members)}
          users={data.data.users}
          canManage={!!group.abilities['manage-members']}
          setRole={(userId, role) => api.setGroupRole(id, userId, role)}
          remove={(userId) => api.removeGroupMember(id, userId)}
          reload={data.reload}
        />
      )}
    </>
  )
}

export function DeliverableMembersScreen() {
  const { id = '' } = useParams()
  const data = useResource(async () => {
    const [answer, users] = await Promise.all([api.deliverable(id), api.users()])
    return { deliverable: answer.deliverable, users: users.users }
  }, [id])
  const deliverable = data.data?.deliverable
  return (
    <>
      <PageHeader
        title={deliverable ? `Members of ${deliverable.title}` : 'Deliverable members'}
        back={deliverable ? { to: `/d/${id}`, label: 'Back to the deliverable' } : back}
      />
      {data.loading && !deliverable && <Loading what="members" />}
      <ErrorNote error={data.error} />
      {deliverable && data.data && (
        <MemberEditor<DeliverableRole>
          subject={deliverable.title}
          roles={DELIVERABLE_ROLES}
          members={memberList<DeliverableRole>(deliverable.members)}
          users={data.data.users}
          canManage={!!deliverable.abilities['manage-members']}
          setRole={(userId, role) => api.setDeliverableRole(id, userId, role)}
          remove={(userId) => api.removeDeliverableMember(id, userId)}
          reload={data.reload}
        />
      )}
    </>
  )
}
