/**
 * What people type by hand in a Word contribution and the structure means instead: a clause number in front of a
 * heading ("3.2.1 Foo", "Annex A – Bar", "Appendix I Baz", "A.1 Qux") and the "NOTE –" in front of a note. Accord
 * numbers clauses itself (numbering.ts) and draws "NOTE –" itself, so imports and pastes drop the typed part and
 * keep the structure. Plain functions, used by the paste from Word and open to the Word import.
 */
import type { ClauseKind } from '../editor/clauseNodes.ts'

export interface TypedHeading {
  /** The heading without its typed number. */
  title: string
  /** The number as typed ("3.2.1", "Annex A", "A.1"); null when there was none. */
  number: string | null
  /** Annex and appendix headings say so; null when the typed text does not tell. */
  kind: ClauseKind | null
  /** Levels the typed number shows ("3.2.1": 3, "Annex A": 1, "A.1": 2); null without a number. */
  depth: number | null
}

const SEPARATOR = String.raw`(?:\s*[–—:.-]\s*|\s+)`
const ANNEX = new RegExp(String.raw`^(Annex|Appendix)\s+([A-Z]|[IVXL]+)\b${SEPARATOR}?`)
const DECIMAL = /^(\d{1,2}(?:\.\d{1,2})*)\.?(?:\s+|$)/
const LETTERED = /^((?:[A-Z]|[IVXL]+)(?:\.\d{1,2})+)\.?(?:\s+|$)/
const UNNUMBERED = new Set(['summary', 'keywords', 'bibliography'])

/** Reads a heading as typed: its number (if any) apart from its title. */
export function typedHeading(text: string): TypedHeading {
  const heading = text.replace(/\s+/g, ' ').trim()
  const annex = ANNEX.exec(heading)
  if (annex) {
    const kind: ClauseKind = annex[1] === 'Annex' ? 'annex' : 'appendix'
    return { title: heading.slice(annex[0].length).trim(), number: `${annex[1]} ${annex[2]}`, kind, depth: 1 }
  }
  const numbered = DECIMAL.exec(heading) ?? LETTERED.exec(heading)
  if (numbered && heading.length > numbered[0].length) {
    const number = numbered[1]!
    return {
      title: heading.slice(numbered[0].length).trim(),
      number,
      kind: null,
      depth: number.split('.').length,
    }
  }
  const kind = UNNUMBERED.has(heading.toLowerCase()) ? 'unnumbered' : null
  return { title: heading, number: null, kind, depth: null }
}

const NOTE = /^\s*NOTE(?:\s+\d{1,2})?\s*[–—-]\s*/

/** The text of a note typed as "NOTE – …" or "NOTE 2 – …"; null when the text is not a note. */
export function noteText(text: string): string | null {
  const match = NOTE.exec(text)
  return match ? text.slice(match[0].length) : null
}
