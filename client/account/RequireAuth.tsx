import { Navigate, Outlet, useLocation } from 'react-router-dom'
import { loginPath, useAuth } from './auth.tsx'
import { SetupPendingScreen } from './SetupPendingScreen.tsx'

/** Renders its routes only for a logged-in user; anybody else goes to login and comes back afterwards. */
export function RequireAuth() {
  const { user, setupNeeded } = useAuth()
  const location = useLocation()
  if (user === undefined) {
    return (
      <p className="loading-page" role="status">
        Loading…
      </p>
    )
  }
  if (user === null) {
    if (setupNeeded) return <SetupPendingScreen />
    return (
      <Navigate to={loginPath(`${location.pathname}${location.search}`)} replace state={{ expired: true }} />
    )
  }
  return <Outlet />
}
