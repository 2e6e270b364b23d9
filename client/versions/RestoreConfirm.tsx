import { useEffect, useRef } from 'react'
import type { ApiVersion } from '../../shared/api/versions.ts'

/**
 * Asks before a restore, in the page rather than a modal: the confirming button takes focus, "Cancel" goes back.
 */
export function RestoreConfirm(props: {
  version: ApiVersion
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  const confirm = useRef<HTMLButtonElement>(null)
  useEffect(() => confirm.current?.focus(), [])
  return (
    <section className="restore-confirm info-note" aria-labelledby="restore-question">
      <p id="restore-question">
        Restore “{props.version.name}”? The text becomes what it was then, as a new edit that everyone sees.
        Clauses agreed since cannot change: then nothing is restored.
      </p>
      <div className="inline-actions">
        <button
          ref={confirm}
          type="button"
          className="button primary"
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          Restore this version
        </button>
        <button type="button" className="button" disabled={props.busy} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  )
}
