import { useMemo } from 'react'
import { hasChanges, wordDiff } from '../../shared/clauses/wordDiff.ts'
import { DiffText } from '../shell/DiffText.tsx'

/**
 * The clause's own text against its last agreed text, word by word, as revision marks (not links): insertions
 * double-underlined in green, deletions struck through in red, and a legend that says it in words.
 */
export function RedlineView({ base, current }: { base: string; current: string }) {
  const parts = useMemo(() => wordDiff(base, current), [base, current])
  if (!hasChanges(parts)) return <p className="hint">No changes since the last agreement.</p>
  return (
    <>
      <div className="redline" data-testid="redline">
        <DiffText parts={parts} />
      </div>
      <p className="redline-legend">
        Inserted text is <ins>double-underlined</ins>; deleted text is struck through: <del>like this</del>.
      </p>
    </>
  )
}
