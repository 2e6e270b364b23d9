import type { FormEvent } from 'react'
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom'
import { api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import { Field, FormSubmit } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { useAuth } from './auth.tsx'

/** Only same-site paths: a `next` pointing elsewhere would make the login page an open redirect. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  return next
}

export function LoginScreen() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const location = useLocation()
  const expired = (location.state as { expired?: boolean } | null)?.expired || params.has('expired')
  const { user, setUser } = useAuth()
  const navigate = useNavigate()
  const { error, busy, run } = useBusyAction()

  if (user) return <Navigate to={next} replace />

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    void run(
      async () => {
        const answer = await api.login(formText(form, 'email'), String(form.get('password') ?? ''))
        setUser(answer.user)
        navigate(next, { replace: true })
      },
      {
        explain: (cause) =>
          cause instanceof ApiError && cause.status === 401
            ? 'The e-mail or the password is not right. Check both and try again.'
            : cause,
      },
    )
  }

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <h1>Log in to Accord</h1>
        {expired && next !== '/' && (
          <p className="info-note">
            Your session has ended. Log in again to continue where you were; what you typed on this device is
            kept and will be merged.
          </p>
        )}
        <form onSubmit={submit}>
          <Field label="E-mail" name="email" type="email" required autoComplete="username" />
          <Field label="Password" name="password" type="password" required autoComplete="current-password" />
          <FormSubmit error={error} busy={busy} label="Log in" busyLabel="Logging in…" />
        </form>
      </div>
    </main>
  )
}
