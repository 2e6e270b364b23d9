import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * The consensus panel's own polite live region: status changes are said there, so they are not lost to the app's
 * announcer, which keeps only the last of several quick messages (connection, saving). Messages that come within
 * a moment of each other are said together.
 */
export function useLiveMessage(): [string, (message: string) => void] {
  const [message, setMessage] = useState('')
  const pending = useRef<string[]>([])
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const say = useCallback((next: string) => {
    pending.current.push(next)
    // Cleared first, so that the same sentence twice is read twice.
    setMessage('')
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      setMessage(pending.current.join('. '))
      pending.current = []
    }, 100)
  }, [])
  useEffect(() => () => clearTimeout(timer.current), [])
  return [message, say]
}
