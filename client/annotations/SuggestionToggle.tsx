/**
 * The suggestion mode switch beside the toolbar (and Ctrl+Alt+S): participants are always in suggestion mode, so
 * they see it on and fixed; editors and chairs choose. Observers see nothing.
 */
import { useEffect } from 'react'
import { ErrorNote } from '../shell/ui.tsx'
import type { AnnotationsController } from './useAnnotations.ts'

export function SuggestionToggle({ annotations }: { annotations: AnnotationsController }) {
  const { maySuggest, suggesting, suggestionModeForced, setSuggesting, announce } = annotations
  useEffect(() => {
    if (!maySuggest || suggestionModeForced) return
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault()
        setSuggesting(!suggesting)
        announce(suggesting ? 'Suggestion mode off: you edit the text' : 'Suggestion mode on')
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [maySuggest, suggestionModeForced, suggesting, setSuggesting, announce])
  if (!maySuggest) return null
  return (
    <div className="suggestion-bar">
      <button
        type="button"
        className={suggesting ? 'button small suggestion-toggle on' : 'button small suggestion-toggle'}
        aria-pressed={suggesting}
        disabled={suggestionModeForced}
        aria-keyshortcuts="Control+Alt+S"
        title={suggestionModeForced ? 'Your role lets you suggest changes, not make them' : 'Ctrl+Alt+S'}
        onClick={() => setSuggesting(!suggesting)}
      >
        Suggest changes
      </button>
      {suggesting && (
        <span className="small muted">
          {suggestionModeForced
            ? 'What you type becomes a suggestion for the editors to accept.'
            : 'What you type becomes a suggestion.'}
        </span>
      )}
      {annotations.draft && <span className="small muted">Suggestion not sent yet…</span>}
      <ErrorNote error={annotations.error} />
    </div>
  )
}
