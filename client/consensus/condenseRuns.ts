/**
 * A preview shows the changes with a few words around each, not the whole clause: long unchanged text between
 * changes is cut to its first and last words with "…" between them, so a change in a long clause is found at once.
 */
import type { RedlineRun } from './redline.ts'

const WORDS = /\S+\s*/g

/** Keeps `context` words of unchanged text on each side of a change. */
export function condenseRuns(runs: readonly RedlineRun[], context = 6): RedlineRun[] {
  return runs.map((run, index) => {
    if (run.kind !== 'same') return run
    const words = run.text.match(WORDS) ?? []
    const keepStart = index > 0 ? context : 0
    const keepEnd = index < runs.length - 1 ? context : 0
    if (words.length <= keepStart + keepEnd + 1) return run
    const leading = run.text.match(/^\s*/)![0]
    const head = words.slice(0, keepStart).join('')
    const tail = words.slice(words.length - keepEnd).join('')
    return { kind: 'same', text: `${keepStart ? leading + head : ''}… ${tail}` }
  })
}
