import { useState } from 'react'
import { useAuth } from './auth.tsx'

export function UserMenu() {
  const { user, logout } = useAuth()
  const [busy, setBusy] = useState(false)
  if (!user) return null
  return (
    <div className="user-menu">
      <span className="user-name">
        {user.name}
        {user.organization && <span className="user-org"> · {user.organization}</span>}
      </span>
      <button
        type="button"
        className="button subtle"
        disabled={busy}
        onClick={() => {
          setBusy(true)
          void logout().finally(() => setBusy(false))
        }}
      >
        Log out
      </button>
    </div>
  )
}
