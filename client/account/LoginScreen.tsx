import { type FormEvent, useState } from 'react'
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom'
import { api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import { ErrorNote, Field } from '../shell/ui.tsx'
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
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  if (user) return <Navigate to={next} replace />

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(undefined)
    try {
      const answer = await api.login(
        String(form.get('email') ?? '').trim(),
        String(form.get('password') ?? ''),
      )
      setUser(answer.user)
      navigate(next, { replace: true })
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 401) {
        setError('The e-mail or the password is not right. Check both and try again.')
      } else setError(cause)
    } finally {
      setBusy(false)
    }
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
          <ErrorNote error={error} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
      </div>
    </main>
  )
}
