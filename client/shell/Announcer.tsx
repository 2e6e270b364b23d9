/**
 * One polite live region for the whole app: joins, leaves, connection and saving state are announced here, so
 * that screen-reader users hear what sighted users see in the status bar.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react'

const AnnounceContext = createContext<(message: string) => void>(() => undefined)

export function Announcer({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('')
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const announce = useCallback((next: string) => {
    // Clearing first makes a repeated message be read again.
    setMessage('')
    clearTimeout(timer.current)
    timer.current = setTimeout(() => setMessage(next), 50)
  }, [])
  const value = useMemo(() => announce, [announce])
  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div
        className="visually-hidden"
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-testid="announcer"
      >
        {message}
      </div>
    </AnnounceContext.Provider>
  )
}

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext)
}
