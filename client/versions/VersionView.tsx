import type { ApiVersionDetail } from '../../shared/api/versions.ts'

const STATUS_LABELS: Record<string, string> = { draft: 'Draft', proposed: 'Proposed', agreed: 'Agreed' }

/** A version read-only: each clause as it stood, with its consensus status then and its hash's first digits. */
export function VersionView({ version }: { version: ApiVersionDetail }) {
  return (
    <section className="version-view" aria-labelledby="version-view-heading">
      <h2 id="version-view-heading">{version.name} (read-only)</h2>
      <ol className="version-clauses">
        {version.clauses.map((clause, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a stored version may hold a duplicated clause id
          <li key={`${clause.id}-${index}`} className={`version-clause level-${Math.min(clause.level, 4)}`}>
            <h3>
              {clause.number && <span className="clause-number">{clause.number} </span>}
              {clause.title || <span className="muted">Untitled</span>}
            </h3>
            <p className="version-clause-meta muted small">
              <span className={`status-badge status-${clause.status}`}>
                {STATUS_LABELS[clause.status] ?? clause.status}
              </span>{' '}
              <span title={clause.hash}>{clause.hash.replace(/^sha256-/, '').slice(0, 12)}</span>
            </p>
            {clause.text && <p className="version-clause-text">{clause.text}</p>}
          </li>
        ))}
      </ol>
    </section>
  )
}
