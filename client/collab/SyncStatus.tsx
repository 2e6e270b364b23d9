import type { SessionState } from './collabSession.ts'
import type { MergeSummary } from './syncStatus.ts'
import { mergeMessage, statusLabel } from './syncStatus.ts'

/** Always visible: whether the text is on the server, on its way, or only on this device. */
export function SyncStatus({ state }: { state: SessionState }) {
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
    </div>
  )
}

/**
 * What merged when the user came back online, until dismissed. Separate from the status so that, on a narrow
 * screen, it can move into the header's menu while the status stays in view.
 */
export function MergeNote({ merged, onDismiss }: { merged: MergeSummary; onDismiss: () => void }) {
  return (
    <span className="merge-note" data-testid="merge-note">
      {mergeMessage(merged)}
      <button type="button" className="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </span>
  )
}
