import { useMemo } from 'react'
import { hasChanges, redline } from './redline.ts'

/**
 * The clause's own text against its last agreed text, word by word, as revision marks (not links): insertions
 * double-underlined in green, deletions struck through in red. <ins> and <del> carry the meaning; their hidden
 * labels say it to screen readers that do not announce the elements themselves, and a legend says it in words.
 */
export function RedlineView({ base, current }: { base: string; current: string }) {
  const runs = useMemo(() => redline(base, current), [base, current])
  if (!hasChanges(runs)) return <p className="hint">No changes since the last agreement.</p>
  return (
    <>
      <div className="redline" data-testid="redline">
        {runs.map((run, index) =>
          run.kind === 'inserted' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: runs have no identity beyond their order
            <ins key={index}>
              <span className="visually-hidden">[inserted: </span>
              {run.text}
              <span className="visually-hidden">]</span>
            </ins>
          ) : run.kind === 'deleted' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: runs have no identity beyond their order
            <del key={index}>
              <span className="visually-hidden">[deleted: </span>
              {run.text}
              <span className="visually-hidden">]</span>
            </del>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: runs have no identity beyond their order
            <span key={index}>{run.text}</span>
          ),
        )}
      </div>
      <p className="redline-legend">
        Inserted text is <ins>double-underlined</ins>; deleted text is struck through: <del>like this</del>.
      </p>
    </>
  )
}
