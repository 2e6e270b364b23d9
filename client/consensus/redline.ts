/**
 * The changes since the last agreement, word by word (DOMAIN.md "Revision marks": deletions struck through,
 * insertions underlined). Pure: two texts in, runs out; the component renders them as <del> and <ins>.
 */
import { diffWords } from 'diff'

export interface RedlineRun {
  kind: 'same' | 'inserted' | 'deleted'
  text: string
}

export function redline(base: string, current: string): RedlineRun[] {
  return diffWords(base, current).map((change) => ({
    kind: change.added ? 'inserted' : change.removed ? 'deleted' : 'same',
    text: change.value,
  }))
}

export const hasChanges = (runs: readonly RedlineRun[]) => runs.some((run) => run.kind !== 'same')
