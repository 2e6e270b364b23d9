import { NavLink, Outlet } from 'react-router-dom'
import { useMe } from '../account/auth.tsx'
import { UserMenu } from '../account/UserMenu.tsx'
import { SkipLink } from './SkipLink.tsx'

/** The frame of every screen but the editor: skip link, header with navigation, and the main landmark. */
export function AppShell() {
  const me = useMe()
  return (
    <>
      <SkipLink />
      <header className="app-header">
        <NavLink to="/" className="brand">
          Accord
        </NavLink>
        <nav aria-label="Main" className="main-nav">
          <NavLink to="/" end>
            Workspace
          </NavLink>
          {me.admin && <NavLink to="/admin/users">Users</NavLink>}
        </nav>
        <UserMenu />
      </header>
      <main id="main" tabIndex={-1} className="page">
        <Outlet />
      </main>
    </>
  )
}
