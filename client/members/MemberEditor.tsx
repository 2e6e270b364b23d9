import type { FormEvent } from 'react'
import type { ApiUser, Member } from '../api/types.ts'
import { useAnnounce } from '../shell/Announcer.tsx'
import { EmptyState, ErrorNote, NoValue, TableHead } from '../shell/ui.tsx'
import { useBusyAction } from '../shell/useBusyAction.ts'

interface Props<Role extends string> {
  subject: string
  roles: readonly Role[]
  members: Member<Role>[]
  users: ApiUser[]
  canManage: boolean
  setRole: (userId: string, role: Role) => Promise<unknown>
  remove: (userId: string) => Promise<unknown>
  reload: () => void
}

const ROLE_LABELS: Record<string, string> = {
  chair: 'Chair',
  member: 'Member',
  editor: 'Editor',
  participant: 'Participant',
  observer: 'Observer',
}

/** Lists the members of a group or deliverable; adds, changes and removes them when the server allows it. */
export function MemberEditor<Role extends string>(props: Props<Role>) {
  const { members, users, roles, canManage } = props
  const announce = useAnnounce()
  const { error, busy, run: runAction } = useBusyAction()
  const userOf = (id: string) => users.find((u) => u.id === id)
  const candidates = users.filter((u) => !members.some((m) => m.userId === u.id))

  const run = (action: () => Promise<unknown>, done: string) =>
    runAction(async () => {
      await action()
      announce(done)
      props.reload()
    })

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const userId = String(form.get('userId') ?? '')
    const role = String(form.get('role')) as Role
    if (!userId) return
    void run(
      () => props.setRole(userId, role),
      `${userOf(userId)?.name ?? 'User'} added as ${ROLE_LABELS[role]}`,
    )
  }

  return (
    <div className="members">
      {!canManage && <p className="info-note">You can see the members but not change them.</p>}
      {members.length === 0 ? (
        <EmptyState>
          <p>{props.subject} has no members yet.</p>
        </EmptyState>
      ) : (
        <table className="members-table">
          <caption className="visually-hidden">Members of {props.subject}</caption>
          <TableHead columns={['Name', 'Organization', 'Role']} actions={canManage} />
          <tbody>
            {members.map((m) => {
              const user = userOf(m.userId)
              const name = user?.name ?? 'Unknown user'
              return (
                <tr key={m.userId}>
                  <th scope="row">
                    {name}
                    {user?.email && <span className="muted small"> {user.email}</span>}
                  </th>
                  <td>{user?.organization || <NoValue />}</td>
                  <td>
                    {canManage ? (
                      <select
                        aria-label={`Role of ${name}`}
                        value={m.role}
                        disabled={busy}
                        onChange={(e) => {
                          const role = e.target.value as Role
                          void run(() => props.setRole(m.userId, role), `${name} is now ${ROLE_LABELS[role]}`)
                        }}
                      >
                        {roles.map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role] ?? role}
                          </option>
                        ))}
                      </select>
                    ) : (
                      (ROLE_LABELS[m.role] ?? m.role)
                    )}
                  </td>
                  {canManage && (
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button small danger"
                        disabled={busy}
                        onClick={() => void run(() => props.remove(m.userId), `${name} removed`)}
                      >
                        Remove<span className="visually-hidden"> {name}</span>
                      </button>
                    </td>
                  )}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {canManage && (
        <form className="add-member" onSubmit={add}>
          <h2>Add a member</h2>
          {candidates.length === 0 ? (
            <p className="hint">Every user is already a member. Administrators create users under Users.</p>
          ) : (
            <div className="inline-fields">
              <div className="field">
                <label htmlFor="add-user">User</label>
                <select id="add-user" name="userId">
                  {candidates.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name} ({u.organization ? `${u.organization}, ` : ''}
                      {u.email})
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="add-role">Role</label>
                <select id="add-role" name="role" defaultValue={roles[0]}>
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {ROLE_LABELS[role] ?? role}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button primary" disabled={busy}>
                Add member
              </button>
            </div>
          )}
        </form>
      )}
      <ErrorNote error={error} />
    </div>
  )
}
