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
  const run = useCallback((task: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    return task()
      .then(
        () => true,
        (failure: unknown) => {
          setError(errorMessage(failure))
          return false
        },
      )
      .finally(() => setBusy(false))
  }, [])
  return { busy, error, run }
}
