import type { Progress } from './clauseConsensus.ts'

/** Deliverable-level progress in the editor header: how many clauses are agreed, and when all of them are. */
export function ConsensusProgress({ progress }: { progress: Progress }) {
  const { agreed, total } = progress
  if (total === 0) return null
  const done = agreed === total
  const percent = Math.round((agreed / total) * 100)
  return (
    <div
      className={`consensus-progress${done ? ' all-agreed' : ''}`}
      data-testid="consensus-progress"
      title={`${agreed} of ${total} clauses agreed`}
    >
      {done ? (
        <span className="status-pill tone-ok">
          <span aria-hidden="true">✓ </span>All {total} clauses agreed
        </span>
      ) : (
        <>
          <span className="progress-bar" aria-hidden="true">
            <span style={{ width: `${percent}%` }} />
          </span>
          <span className="small" aria-hidden="true">
            {agreed}/{total} agreed
          </span>
          <span className="visually-hidden">
            {agreed} of {total} clauses agreed
          </span>
        </>
      )}
    </div>
  )
}
