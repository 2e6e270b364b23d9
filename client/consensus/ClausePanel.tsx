/**
 * The consensus panel of the selected clause (at the cursor, clicked, or chosen in the outline): its status, the
 * actions the user may take now, open objections with their suggestions, open suggestions and comments (which
 * must be dealt with before agreement), the changes since the last agreement after a reopen, and the decision history.
 */
import type { Editor } from '@tiptap/core'
import { useCallback, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { Objection } from '../../shared/domain/types.ts'
import { ClauseAnnotations } from '../annotations/ClauseAnnotations.tsx'
import type { AnnotationsController } from '../annotations/useAnnotations.ts'
import type { OutlineRow } from '../editor/outline.ts'
import { ErrorNote } from '../shell/ui.tsx'
import { ActionForms, type Prefill } from './ActionForms.tsx'
import { applyBlocked, type ClauseAction, clauseActions, objectionActions } from './actionOptions.ts'
import { applySuggestionTo } from './applySuggestion.ts'
import { ClauseHistory } from './ClauseHistory.tsx'
import { LOCK_NOTE } from './clauseBadges.ts'
import { clauseLabel, draftClause, inSentence, openObjections, STATUS_LABELS } from './clauseConsensus.ts'
import { clauseHashIn } from './clauseSource.ts'
import { formatWhen } from './formatWhen.ts'
import { ObjectionList } from './ObjectionList.tsx'
import { RedlineView } from './RedlineView.tsx'
import { useClauseRecord } from './useClauseRecord.ts'
import { useClauseText } from './useClauseText.ts'
import { useConsensusAction } from './useConsensusAction.ts'
import type { ConsensusController } from './useConsensusController.ts'

interface Props {
  controller: ConsensusController
  outline: readonly OutlineRow[]
  editor: Editor | null
  /** The replica's body: the hash a chair agrees to and the redline's current text are read from it. */
  body: Y.XmlFragment | null
  synced: boolean
  /** Typing is possible now. */
  editable: boolean
  /** The deliverable's comments and suggestions: the clause's open ones show here. */
  annotations?: AnnotationsController
}

export function ClausePanel(props: Props) {
  const entry = props.outline.find((e) => e.id === props.controller.selectedId)
  return (
    <aside className="clause-panel" aria-labelledby="clause-panel-title" data-testid="clause-panel">
      {entry ? (
        <SelectedClause key={entry.id} entry={entry} {...props} />
      ) : (
        <>
          <h2 id="clause-panel-title" className="panel-eyebrow">
            Clause consensus
          </h2>
          <p className="hint">
            Place the cursor in a clause, click it, or choose it in the outline to see its status, objections
            and history, and the actions you can take.
          </p>
        </>
      )}
      <div className="visually-hidden" role="status" aria-atomic="true" data-testid="consensus-announcer">
        {props.controller.announcement}
      </div>
    </aside>
  )
}

function SelectedClause({
  entry,
  controller,
  editor,
  body,
  synced,
  editable,
  annotations,
}: Props & { entry: OutlineRow }) {
  const { deliverableId, userId, abilities, users } = controller
  const clause = controller.clauses[entry.id] ?? draftClause(entry.id)
  const label = clauseLabel(entry.number, entry.title)
  const locked = controller.view.locked.has(entry.id)
  const runner = useConsensusAction(deliverableId, entry.id, controller.record)
  const stamp = `${clause.status}:${JSON.stringify(clause.objections)}`
  const record = useClauseRecord(deliverableId, entry.id, stamp)
  const [showChanges, setShowChanges] = useState(false)
  const base = clause.status !== 'agreed' ? (record.section?.lastAgreedText ?? null) : null
  const current = useClauseText(body, entry.id, showChanges && base !== null)
  const [applyError, setApplyError] = useState<string | null>(null)

  const options = clauseActions(abilities, clause, { userId, synced })
  const { objectionDraft, clearObjectionDraft } = controller
  const prefill = useMemo<Prefill | null>(
    () =>
      objectionDraft?.clauseId === entry.id
        ? { action: 'object', suggestion: objectionDraft.suggestion, nonce: objectionDraft.nonce }
        : null,
    [objectionDraft, entry.id],
  )

  const { run } = runner
  const act = useCallback(
    async (action: ClauseAction, inputs: { note: string; suggestion: string }) => {
      if (action === 'agree') {
        const textHash = body ? clauseHashIn(body, entry.id) : null
        if (!textHash) return false
        return run({ action, textHash, ...(inputs.note ? { note: inputs.note } : {}) })
      }
      if (action === 'object') {
        const suggestion = inputs.suggestion.trim() ? inputs.suggestion : undefined
        const ok = await run({ action, note: inputs.note, ...(suggestion ? { suggestion } : {}) })
        if (ok) clearObjectionDraft()
        return ok
      }
      return run(action === 'propose' ? { action } : { action, note: inputs.note })
    },
    [run, body, entry.id, clearObjectionDraft],
  )

  const apply = (objection: Objection) => {
    setApplyError(null)
    if (!editor || !objection.suggestion) return false
    const applied = applySuggestionTo(editor, entry.id, objection.suggestion)
    if (applied) controller.announce(`Suggestion applied to ${inSentence(label)}`)
    else setApplyError('The suggestion could not be applied: the clause is locked or no longer in the text.')
    return applied
  }

  const open = openObjections(clause)
  return (
    <>
      <p className="panel-eyebrow">Clause consensus</p>
      <h2 id="clause-panel-title" className="panel-title">
        {entry.number && <span className="panel-number">{entry.number} </span>}
        {entry.title || 'Untitled clause'}
      </h2>
      <p className="panel-status">
        <span className={`status-badge status-${clause.status}`} data-testid="panel-status">
          {STATUS_LABELS[clause.status]}
        </span>
        {open.length > 0 && (
          <span className="small">
            {open.length} open {open.length === 1 ? 'objection' : 'objections'}
          </span>
        )}
        {clause.status === 'agreed' && record.section?.agreedAt && (
          <span className="small muted">since {formatWhen(record.section.agreedAt)}</span>
        )}
      </p>
      {locked && (
        <p className="lock-note" role="note">
          {LOCK_NOTE}
        </p>
      )}

      <section className="panel-section" aria-labelledby="clause-actions-title">
        <h3 id="clause-actions-title">Actions</h3>
        <ActionForms
          options={options}
          pending={runner.pending}
          onAct={act}
          prefill={prefill}
          clauseLabel={label}
        />
        <ErrorNote error={runner.error} />
      </section>

      <section className="panel-section" aria-labelledby="clause-objections-title">
        <h3 id="clause-objections-title">Objections</h3>
        <ObjectionList
          objections={clause.objections}
          optionsFor={(objection) => objectionActions(abilities, clause, objection, userId)}
          applyBlocked={applyBlocked(abilities, { editable, locked })}
          editor={editor}
          clauseId={entry.id}
          onApply={apply}
          onWithdraw={(objection) => run({ action: 'withdraw-objection', objectionId: objection.id })}
          onDismiss={(objection, note) =>
            run({ action: 'dismiss-objection', objectionId: objection.id, note })
          }
          users={users}
          events={record.events}
          busy={runner.pending !== null}
        />
        <ErrorNote error={applyError} />
      </section>

      {annotations && (
        <ClauseAnnotations
          clauseId={entry.id}
          annotations={annotations}
          agreed={clause.status === 'agreed'}
          mayReopen={!!abilities.reopen}
          clauseLabel={label}
        />
      )}

      {base !== null && (
        <section className="panel-section" aria-labelledby="clause-changes-title">
          <h3 id="clause-changes-title">Changes since the last agreement</h3>
          <button
            type="button"
            className="button small"
            aria-expanded={showChanges}
            onClick={() => setShowChanges((shown) => !shown)}
          >
            {showChanges ? 'Hide changes' : 'Show changes'}
          </button>
          {showChanges && current !== null && <RedlineView base={base} current={current} />}
        </section>
      )}

      <section className="panel-section" aria-labelledby="clause-history-title">
        <h3 id="clause-history-title">History</h3>
        <ClauseHistory
          events={record.events}
          origins={record.origins}
          users={users}
          failed={!!record.error}
        />
      </section>
    </>
  )
}
