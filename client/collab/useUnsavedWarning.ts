import { useEffect } from 'react'
import type { CollabSession } from './collabSession.ts'

/**
 * The browser asks before leaving while the server has not confirmed every change. The replica is asked when the
 * page is about to go, rather than followed: its saving state flips twice per keystroke.
 */
export function useUnsavedWarning(session: CollabSession | null): void {
  useEffect(() => {
    if (!session) return
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!session.getState().unsaved) return
      event.preventDefault()
      // Older browsers need returnValue set to show the prompt.
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [session])
}
