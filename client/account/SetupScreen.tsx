import type { FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import { useResource } from '../api/useResource.ts'
import { Field, FormSubmit, Loading, NEW_PASSWORD } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { useAuth } from './auth.tsx'

/** First run: the person holding the setup token becomes the first administrator. */
export function SetupScreen() {
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const { setUser } = useAuth()
  const navigate = useNavigate()
  const needed = useResource(() => api.setupNeeded(), [])
  const { error, setError, busy, run } = useBusyAction()

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const value = (name: string) => formText(form, name)
    if (value('password') !== value('confirm')) {
      setError('The two passwords differ. Type the same password twice.')
      return
    }
    void run(
      async () => {
        const organization = value('organization')
        const answer = await api.setup({
          token: value('token') || token,
          email: value('email'),
          name: value('name'),
          password: String(form.get('password') ?? ''),
          ...(organization ? { organization } : {}),
        })
        setUser(answer.user)
        navigate('/', { replace: true })
      },
      {
        explain: (cause) => {
          if (cause instanceof ApiError && cause.status === 403) {
            return 'This setup link is not valid. Use the exact link that the server printed when it started.'
          }
          if (cause instanceof ApiError && cause.status === 409) {
            return 'Accord is already set up. Log in instead.'
          }
          return cause
        },
      },
    )
  }

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <h1>Set up Accord</h1>
        {needed.loading && <Loading what="setup state" />}
        {needed.data && !needed.data.needed ? (
          <>
            <p>Accord is already set up.</p>
            <Link to="/login" className="button primary">
              Go to login
            </Link>
          </>
        ) : (
          !needed.loading && (
            <form onSubmit={submit} noValidate={false}>
              <p>
                Create the first administrator account. Administrators create users, groups and deliverables.
              </p>
              {!token && (
                <Field
                  label="Setup token"
                  name="token"
                  required
                  autoComplete="off"
                  hint="The token from the setup link the server printed."
                />
              )}
              <Field label="Full name" name="name" required autoComplete="name" />
              <Field label="Organization" name="organization" autoComplete="organization" hint="Optional" />
              <Field label="E-mail" name="email" type="email" required autoComplete="email" />
              <Field label="Password" {...NEW_PASSWORD} hint="At least 8 characters." />
              <Field
                label="Repeat the password"
                name="confirm"
                type="password"
                required
                autoComplete="new-password"
              />
              <FormSubmit error={error} busy={busy} label="Create administrator" busyLabel="Creating…" />
            </form>
          )
        )}
      </div>
    </main>
  )
}
