import { type FormEvent, useState } from 'react'
import { api } from '../api/endpoints.ts'
import { useResource } from '../api/useResource.ts'
import { useAnnounce } from '../shell/Announcer.tsx'
import {
  EmptyState,
  ErrorNote,
  Field,
  FormSubmit,
  Loading,
  NEW_PASSWORD,
  NoValue,
  PageHeader,
  TableHead,
} from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { useMe } from './auth.tsx'

/** User administration: administrators create accounts and remove them (which ends their sessions). */
export function UsersScreen() {
  const me = useMe()
  const announce = useAnnounce()
  const users = useResource(() => api.users(), [])
  const { error, busy, run } = useBusyAction()
  const [confirming, setConfirming] = useState<string | null>(null)

  if (!me.admin) {
    return (
      <>
        <PageHeader title="Users" back={{ to: '/', label: 'Back to the workspace' }} />
        <EmptyState>
          <p>Only administrators manage users.</p>
        </EmptyState>
      </>
    )
  }

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const formElement = event.currentTarget
    const form = new FormData(formElement)
    const organization = formText(form, 'organization')
    void run(async () => {
      const answer = await api.createUser({
        name: formText(form, 'name'),
        email: formText(form, 'email'),
        password: String(form.get('password') ?? ''),
        ...(organization ? { organization } : {}),
        admin: form.get('admin') === 'on',
      })
      formElement.reset()
      announce(`${answer.user.name} created`)
      users.reload()
    })
  }

  const remove = (id: string, name: string) =>
    run(async () => {
      await api.removeUser(id)
      announce(`${name} removed`)
      setConfirming(null)
      users.reload()
    })

  const list = users.data?.users ?? []
  return (
    <>
      <PageHeader title="Users" back={{ to: '/', label: 'Back to the workspace' }} />
      {users.loading && !users.data && <Loading what="users" />}
      <ErrorNote error={users.error} />
      {users.data && list.length === 0 && (
        <EmptyState>
          <p>No users yet.</p>
        </EmptyState>
      )}
      {list.length > 0 && (
        <table className="members-table">
          <caption className="visually-hidden">Users</caption>
          <TableHead columns={['Name', 'E-mail', 'Organization', 'Administrator']} />
          <tbody>
            {list.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.name}</th>
                <td>{u.email}</td>
                <td>{u.organization || <NoValue />}</td>
                <td>{u.admin ? 'Yes' : 'No'}</td>
                <td className="row-actions">
                  {u.id === me.id ? (
                    <span className="muted small">You</span>
                  ) : confirming === u.id ? (
                    <span className="confirm">
                      <span>Remove {u.name}?</span>
                      <button
                        type="button"
                        className="button small danger"
                        disabled={busy}
                        onClick={() => void remove(u.id, u.name)}
                      >
                        Yes, remove
                      </button>
                      <button type="button" className="button small" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button small" onClick={() => setConfirming(u.id)}>
                      Remove<span className="visually-hidden"> {u.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form-card" onSubmit={create}>
        <h2>Create a user</h2>
        <Field label="Full name" name="name" required maxLength={120} autoComplete="off" />
        <Field label="Organization" name="organization" maxLength={160} autoComplete="off" hint="Optional" />
        <Field label="E-mail" name="email" type="email" required autoComplete="off" />
        <Field
          label="Initial password"
          {...NEW_PASSWORD}
          hint="At least 8 characters. Give it to the person through a safe channel."
        />
        <div className="field checkbox">
          <input id="new-user-admin" name="admin" type="checkbox" />
          <label htmlFor="new-user-admin">Administrator (secretariat)</label>
        </div>
        <FormSubmit error={error} busy={busy} label="Create user" busyLabel="Creating user…" />
      </form>
    </>
  )
}
