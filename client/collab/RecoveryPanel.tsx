import { type ReactNode, useState } from 'react'
import type { KeptText } from './recoveryPlan.ts'
import type { RecoveryView } from './useCollabSession.ts'

const REASONS: Record<string, string> = {
  'section-locked': 'Some of your changes touched clauses that have been agreed; agreed text is locked.',
  'read-only': 'Your changes were not accepted: you may no longer change the text of this deliverable.',
  'resync-required': 'Your copy of the text fell out of step with the server.',
  'too-large': 'A change was too large for the server to accept.',
  malformed: 'The server could not read a change from this browser.',
}

/** After a refusal: what happened, what was restored, and the text that could not be, ready to copy. */
export function RecoveryPanel({
  recovery,
  onDismiss,
  renderActions,
}: {
  recovery: RecoveryView
  onDismiss: () => void
  /** More actions for one kept text (e.g. raise it as an objection). */
  renderActions?: (item: KeptText) => ReactNode
}) {
  const [copied, setCopied] = useState<string | null>(null)
  const copy = async (key: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(key)
    } catch {
      setCopied(null)
    }
  }
  return (
    <section
      className="banner banner-warning recovery"
      aria-labelledby="recovery-title"
      data-testid="recovery-panel"
    >
      <h2 id="recovery-title">Some of your changes could not be saved</h2>
      <p>
        {REASONS[recovery.reason] ?? 'The server did not accept a change.'} {recovery.message}
      </p>
      {recovery.halted ? (
        <p>
          Syncing stopped: the server refused this document again, even freshly loaded. Nothing you typed is
          lost: it is kept on this device. Reload the page to try again, or tell the secretariat if it keeps
          happening.{' '}
          <button type="button" className="button small" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      ) : recovery.inProgress ? (
        <p role="status">Reloading the text from the server and re-applying your other changes…</p>
      ) : recovery.stopped ? (
        <p>
          The same problem came back after reloading, so your changes were not applied again. Their text is
          below.
        </p>
      ) : (
        <p>The text was reloaded from the server and your changes to other clauses were applied again.</p>
      )}
      {recovery.kept.length > 0 && (
        <ul className="kept-list">
          {recovery.kept.map((item) => (
            <li key={item.clauseId}>
              <h3>{item.title || 'Untitled clause'}</h3>
              <pre className="kept-text">{item.text || '(no text)'}</pre>
              <button
                type="button"
                className="button small"
                onClick={() => void copy(item.clauseId, item.text)}
              >
                {copied === item.clauseId ? 'Copied' : 'Copy text'}
                <span className="visually-hidden"> of {item.title || 'the clause'}</span>
              </button>
              {renderActions?.(item)}
            </li>
          ))}
        </ul>
      )}
      {!recovery.inProgress && !recovery.halted && (
        <button type="button" className="button" onClick={onDismiss}>
          Close
        </button>
      )}
    </section>
  )
}
