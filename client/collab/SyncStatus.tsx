import type { SessionState } from './collabSession.ts'
import { mergeMessage, statusLabel } from './syncStatus.ts'

/** Always visible: whether the text is on the server, on its way, or only on this device. */
export function SyncStatus({ state, onDismissMerge }: { state: SessionState; onDismissMerge: () => void }) {
  const { text, tone } = statusLabel({
    connection: state.connection,
    unsaved: state.unsaved,
    storageProblem: !!state.storage,
  })
  return (
    <div className="sync-status">
      <span className={`status-pill tone-${tone}`} data-testid="sync-status">
        <span className="status-dot" aria-hidden="true" />
        {text}
      </span>
      {state.merged && (
        <span className="merge-note" data-testid="merge-note">
          {mergeMessage(state.merged)}
          <button type="button" className="link-button" onClick={onDismissMerge}>
            Dismiss
          </button>
        </span>
      )}
    </div>
  )
}
