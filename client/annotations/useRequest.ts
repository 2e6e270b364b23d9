/** One annotation request at a time from a component: busy while it runs, the server's refusal in words after. */
import { useCallback, useState } from 'react'
import { errorMessage } from '../api/http.ts'

export function useRequest(): {
  busy: boolean
  error: string | null
  run: (task: () => Promise<void>) => Promise<boolean>
} {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async (task: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await task()
      return true
    } catch (failure) {
      setError(errorMessage(failure))
      return false
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, run }
}
