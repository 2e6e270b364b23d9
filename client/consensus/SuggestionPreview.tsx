/**
 * What applying a suggestion will change, before it changes anything: the clause's words with insertions and
 * deletions marked (as the redline marks them), kept up to date while others type, with "Apply these changes" and
 * "Cancel". It opens with the focus on itself so a keyboard or screen-reader user lands on what it says; Escape
 * cancels.
 */
import type { Editor } from '@tiptap/core'
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { DiffPart } from '../../shared/clauses/wordDiff.ts'
import { clausePosition } from '../editor/outline.ts'
import { DiffText } from '../shell/DiffText.tsx'
import { debounce } from '../shell/debounce.ts'
import { planChanges, planClauseSuggestion } from './applySuggestion.ts'
import { condenseRuns } from './condenseRuns.ts'

interface Props {
  editor: Editor
  clauseId: string
  suggestion: string
  /** Why applying is not possible now; null when it is. */
  blocked: string | null
  onApply: () => void
  onCancel: () => void
}

const REREAD_AFTER_MS = 250

/**
 * The editor's document, re-read a moment after changes (local or remote) stop: planning a long clause takes
 * hundreds of milliseconds (300 entries: 0.3-0.8 s in Node), too much for every keystroke of a co-author.
 */
function useEditorDoc(editor: Editor) {
  const [doc, setDoc] = useState(editor.state.doc)
  useEffect(() => {
    const reread = debounce(() => setDoc(editor.state.doc), REREAD_AFTER_MS)
    editor.on('update', reread.schedule)
    return () => {
      reread.cancel()
      editor.off('update', reread.schedule)
    }
  }, [editor])
  return doc
}

export function SuggestionPreview({ editor, clauseId, suggestion, blocked, onApply, onCancel }: Props) {
  const doc = useEditorDoc(editor)
  const clause = useMemo(() => {
    const pos = clausePosition(doc, clauseId)
    return pos < 0 ? null : doc.nodeAt(pos)
  }, [doc, clauseId])
  // Nodes are immutable: the plan is computed again only when this clause changed, not on every keystroke elsewhere.
  const plan = useMemo(() => clause && planClauseSuggestion(clause, 0, suggestion), [clause, suggestion])
  const box = useRef<HTMLElement>(null)
  const id = useId()
  useEffect(() => box.current?.focus(), [])
  const changes = plan !== null && planChanges(plan)
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    onCancel()
  }
  return (
    <section
      ref={box}
      className="action-form suggestion-preview"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-summary`}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      data-testid="suggestion-preview"
    >
      <h4 id={`${id}-title`}>What applying the suggestion changes</h4>
      <p id={`${id}-summary`} className="field-hint">
        {plan === null
          ? 'The clause is no longer in the text.'
          : !changes
            ? 'The clause already reads as suggested: there is nothing to change.'
            : summary(plan.runs, plan.passage)}
      </p>
      {plan && changes && <PreviewRuns runs={condenseRuns(plan.runs)} />}
      <div className="form-buttons">
        {changes && (
          <button
            type="button"
            className="button small primary"
            aria-disabled={blocked !== null || undefined}
            aria-describedby={blocked ? `${id}-why` : undefined}
            onClick={() => blocked === null && onApply()}
          >
            Apply these changes
          </button>
        )}
        <button type="button" className="button small" onClick={onCancel}>
          {changes ? 'Cancel' : 'Close'}
        </button>
      </div>
      {blocked && changes && (
        <p id={`${id}-why`} className="action-reason">
          {blocked}
        </p>
      )}
    </section>
  )
}

function summary(runs: readonly DiffPart[], passage: string | null): string {
  const count = (kind: DiffPart['kind']) =>
    runs.filter((r) => r.kind === kind).reduce((n, r) => n + (r.text.match(/\S+/g)?.length ?? 0), 0)
  const words = (n: number) => `${n} ${n === 1 ? 'word' : 'words'}`
  const where = passage
    ? `Read as a change to the passage “${clip(passage)}”; the rest of the clause stays as it is.`
    : 'Read as the whole text of the clause.'
  return `${where} ${words(count('insert'))} inserted, ${words(count('delete'))} deleted; definitions, NOTEs, lists and tables keep their structure.`
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77).trimEnd()}…` : text)

function PreviewRuns({ runs }: { runs: readonly DiffPart[] }) {
  return (
    <div className="redline" data-testid="suggestion-changes">
      <DiffText parts={runs} />
    </div>
  )
}
