import type { ApiComparison } from '../../shared/api/versions.ts'
import type { ClauseComparison, ComparisonSummary } from '../../shared/versions/compare.ts'
import { DiffText } from '../shell/DiffText.tsx'

const CHANGE_LABELS: Record<ClauseComparison['change'], string> = {
  unchanged: 'Unchanged',
  changed: 'Changed',
  added: 'Added',
  removed: 'Removed',
}

/** The summary's figures in the order they are read, each with its label. */
const SUMMARY_LABELS: readonly (readonly [keyof ComparisonSummary, string])[] = [
  ['clausesChanged', 'Clauses changed'],
  ['clausesAdded', 'Added'],
  ['clausesRemoved', 'Removed'],
  ['clausesMoved', 'Moved'],
  ['wordsInserted', 'Words inserted'],
  ['wordsDeleted', 'Words deleted'],
]

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
        {SUMMARY_LABELS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{summary[key]}</dd>
          </div>
        ))}
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
