/**
 * Word-level changes between two texts (DOMAIN.md "Revision marks"): the one representation of a redline, used by
 * the consensus panel, suggestion previews, version comparison and the Word export's tracked changes.
 */
import { diffWords } from 'diff'

export interface DiffPart {
  kind: 'equal' | 'insert' | 'delete'
  text: string
}

export function wordDiff(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ kind: 'equal', text: before }] : []
  return diffWords(before, after).map((change) => ({
    kind: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
    text: change.value,
  }))
}

export const hasChanges = (parts: readonly DiffPart[]) => parts.some((part) => part.kind !== 'equal')
