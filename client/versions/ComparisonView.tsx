import type { ApiComparison } from '../../shared/api/versions.ts'
import type { ClauseComparison } from '../../shared/versions/compare.ts'
import { DiffText } from './DiffText.tsx'

const CHANGE_LABELS: Record<ClauseComparison['change'], string> = {
  unchanged: 'Unchanged',
  changed: 'Changed',
  added: 'Added',
  removed: 'Removed',
}

function placeLabel(clause: ClauseComparison): string {
  const to = clause.to ?? clause.from!
  const number = to.number ? `${to.number} ` : ''
  const moved = clause.moved && clause.from && clause.to ? ` (was ${clause.from.number || 'unnumbered'})` : ''
  return `${number}${moved}`
}

/** The summary, then every clause that differs as a redline; unchanged clauses are counted, not shown. */
export function ComparisonView({ comparison }: { comparison: ApiComparison }) {
  const { summary } = comparison
  const differing = comparison.clauses.filter((c) => c.change !== 'unchanged' || c.moved)
  return (
    <section className="comparison" aria-labelledby="comparison-heading">
      <h2 id="comparison-heading">
        {comparison.from.name} → {comparison.to.name}
      </h2>
      <dl className="comparison-summary" data-testid="comparison-summary">
        <div>
          <dt>Clauses changed</dt>
          <dd>{summary.clausesChanged}</dd>
        </div>
        <div>
          <dt>Added</dt>
          <dd>{summary.clausesAdded}</dd>
        </div>
        <div>
          <dt>Removed</dt>
          <dd>{summary.clausesRemoved}</dd>
        </div>
        <div>
          <dt>Moved</dt>
          <dd>{summary.clausesMoved}</dd>
        </div>
        <div>
          <dt>Words inserted</dt>
          <dd>{summary.wordsInserted}</dd>
        </div>
        <div>
          <dt>Words deleted</dt>
          <dd>{summary.wordsDeleted}</dd>
        </div>
      </dl>
      {differing.length === 0 ? (
        <p className="hint">No differences.</p>
      ) : (
        <ol className="comparison-clauses">
          {differing.map((clause) => (
            <li key={clause.id} className={`comparison-clause change-${clause.change}`}>
              <h3>
                <span className="clause-number">{placeLabel(clause)}</span>
                <DiffText parts={clause.title} />
              </h3>
              <p className="comparison-tags">
                <span className="tag">{CHANGE_LABELS[clause.change]}</span>
                {clause.moved && <span className="tag">Moved</span>}
                {clause.renamed && <span className="tag">Renamed</span>}
              </p>
              <div className="redline">
                <DiffText parts={clause.text} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
