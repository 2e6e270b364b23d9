import { useState } from 'react'

interface RunOptions {
  /** Turns a failure into what the person reads (a sentence, or the error itself). */
  explain?: (cause: unknown) => unknown
  /** Leave the form disabled after a success, because the screen navigates away. */
  stayBusy?: boolean
}

/** The busy flag and last error of a form or button action: one run at a time, its failure shown by `ErrorNote`. */
export function useBusyAction() {
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const run = async (action: () => Promise<unknown>, options: RunOptions = {}) => {
    setBusy(true)
    setError(undefined)
    let succeeded = false
    try {
      await action()
      succeeded = true
    } catch (cause) {
      setError(options.explain ? options.explain(cause) : cause)
    } finally {
      if (!(succeeded && options.stayBusy)) setBusy(false)
    }
  }
  return { error, setError, busy, run }
}

/** A text field of a submitted form, trimmed; empty when the field is absent. */
export function formText(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim()
}
