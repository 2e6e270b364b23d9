import { useParams } from 'react-router-dom'
import {
  DELIVERABLE_ROLES,
  type DeliverableRole,
  GROUP_ROLES,
  type GroupRole,
} from '../../shared/domain/types.ts'
import { api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { ApiUser, Member } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { type BackLink, ErrorNote, Loading, PageHeader } from '../shell/ui.tsx'
import { MemberEditor } from './MemberEditor.tsx'
import { memberList } from './members.ts'

const back = { to: '/', label: 'Back to the workspace' }

/** The group or deliverable whose members a page manages, as the API presents either. */
interface MemberSubject<Role extends string> {
  name: string
  members: Member<Role>[]
  abilities: Partial<Record<string, boolean>>
}

function MembersPage<Role extends string>(props: {
  id: string
  fallbackTitle: string
  roles: readonly Role[]
  back: BackLink
  loaded: { loading: boolean; error: unknown; reload: () => void }
  subject: MemberSubject<Role> | undefined
  users: ApiUser[] | undefined
  setRole: (id: string, userId: string, role: Role) => Promise<unknown>
  remove: (id: string, userId: string) => Promise<unknown>
}) {
  const { id, subject, users, loaded } = props
  return (
    <>
      <PageHeader title={subject ? `Members of ${subject.name}` : props.fallbackTitle} back={props.back} />
      {loaded.loading && !subject && <Loading what="members" />}
      <ErrorNote error={loaded.error} />
      {subject && users && (
        <MemberEditor<Role>
          subject={subject.name}
          roles={props.roles}
          members={memberList<Role>(subject.members)}
          users={users}
          canManage={!!subject.abilities['manage-members']}
          setRole={(userId, role) => props.setRole(id, userId, role)}
          remove={(userId) => props.remove(id, userId)}
          reload={loaded.reload}
        />
      )}
    </>
  )
}

export function GroupMembersScreen() {
  const { id = '' } = useParams()
  const data = useResource(async () => {
    const [groups, users] = await Promise.all([api.groups(), api.users()])
    const group = groups.groups.find((g) => g.id === id)
    if (!group) throw new ApiError(404, 'not_found', 'This group does not exist, or you cannot see it.')
    return { group, users: users.users }
  }, [id])
  return (
    <MembersPage<GroupRole>
      id={id}
      fallbackTitle="Group members"
      roles={GROUP_ROLES}
      back={back}
      loaded={data}
      subject={data.data?.group}
      users={data.data?.users}
      setRole={api.setGroupRole}
      remove={api.removeGroupMember}
    />
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
    <MembersPage<DeliverableRole>
      id={id}
      fallbackTitle="Deliverable members"
      roles={DELIVERABLE_ROLES}
      back={deliverable ? { to: `/d/${id}`, label: 'Back to the deliverable' } : back}
      loaded={data}
      subject={deliverable && { ...deliverable, name: deliverable.title }}
      users={data.data?.users}
      setRole={api.setDeliverableRole}
      remove={api.removeDeliverableMember}
    />
  )
}
