/**
 * Who is logged in, for the whole app. A 401 from any request clears the user and sends them to the login
 * screen with the route to come back to.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { useLocation, useNavigate } from 'react-router-dom'
import { api } from '../api/endpoints.ts'
import { ApiError, onUnauthorized } from '../api/http.ts'
import type { ApiUser } from '../api/types.ts'
import { clearOfflineData } from '../collab/offlineStore.ts'

interface AuthState {
  /** undefined while the first /api/me is in flight; null when nobody is logged in. */
  user: ApiUser | null | undefined
  setupNeeded: boolean
  setUser: (user: ApiUser | null) => void
  logout: () => Promise<void>
}

const AuthContext = createContext<AuthState | null>(null)

export function loginPath(next: string): string {
  return next && next !== '/' && !next.startsWith('/login')
    ? `/login?next=${encodeURIComponent(next)}`
    : '/login'
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<ApiUser | null | undefined>(undefined)
  const [setupNeeded, setSetupNeeded] = useState(false)
  const navigate = useNavigate()
  const location = useLocation()

  useEffect(() => {
    let cancelled = false
    Promise.all([
      api.me().then(
        (answer) => answer.user,
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) return null
          throw error
        },
      ),
      api.setupNeeded().then(
        (answer) => answer.needed,
        () => false,
      ),
    ])
      .then(([me, needed]) => {
        if (cancelled) return
        setSetupNeeded(needed)
        setUser(me)
      })
      .catch(() => {
        if (!cancelled) setUser(null)
      })
    return () => {
      cancelled = true
    }
  }, [])

  const here = `${location.pathname}${location.search}`
  useEffect(
    () =>
      onUnauthorized(() => {
        setUser(null)
        if (!location.pathname.startsWith('/login') && !location.pathname.startsWith('/setup')) {
          navigate(loginPath(here), { replace: true, state: { expired: true } })
        }
      }),
    [navigate, here, location.pathname],
  )

  const logout = useCallback(async () => {
    const previous = user
    await api.logout().catch(() => undefined)
    // Offline copies are keyed by user: nothing of theirs stays on a shared machine after logout.
    if (previous) await clearOfflineData(previous.id).catch(() => undefined)
    setUser(null)
    navigate('/login', { replace: true })
  }, [user, navigate])

  const value = useMemo(
    () => ({
      user,
      setupNeeded,
      setUser: (next: ApiUser | null) => {
        setUser(next)
        if (next) setSetupNeeded(false)
      },
      logout,
    }),
    [user, setupNeeded, logout],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext)
  if (!state) throw new Error('useAuth outside AuthProvider')
  return state
}

/** The logged-in user; only for screens rendered behind RequireAuth. */
export function useMe(): ApiUser {
  const { user } = useAuth()
  if (!user) throw new Error('useMe without a logged-in user')
  return user
}
