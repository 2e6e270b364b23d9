/**
 * Clause numbers typed in a heading's text (DOMAIN.md "Clause structure"): "3.2.1 Title", "Annex A – Title",
 * "A.1 Title", "Appendix I: Title", "I.2 Title"; "Bibliography", "Summary" and "Keywords" are unnumbered. The
 * number is removed (ours are derived from the structure) and tells the kind of a top-level clause.
 */
import type { ClauseKind } from '../../shared/editor/clauseNodes.ts'

export interface ParsedHeading {
  title: string
  kind: ClauseKind
  /** The number as typed, if any. */
  number: string | null
  /** A title that ITU texts never number (Summary, Keywords, Bibliography...). */
  alwaysUnnumbered: boolean
}

const SEPARATOR = String.raw`(?:\s*[\t:.–—-]\s*|\s+|$)`
const ANNEX = new RegExp(String.raw`^(Annex|Appendix)\s+([A-Z]{1,2}|[IVXLC]+)\b${SEPARATOR}`, 'i')
const DECIMAL = new RegExp(String.raw`^(\d{1,3}(?:\.\d{1,3})*)\.?${SEPARATOR}`)
const LETTERED = new RegExp(String.raw`^([A-Z]{1,2}|[IVXLC]+)((?:\.\d{1,3})+)\.?${SEPARATOR}`)
const UNNUMBERED =
  /^(bibliography|summary|keywords|foreword|introduction|contents|note|change log|acknowledgements)$/i

export function parseHeading(text: string): ParsedHeading {
  const trimmed = text.replace(/\s+/g, (space) => (space.includes('\t') ? '\t' : ' ')).trim()
  const annex = ANNEX.exec(trimmed)
  if (annex) {
    const kind: ClauseKind = annex[1]!.toLowerCase() === 'annex' ? 'annex' : 'appendix'
    return {
      title: clean(trimmed.slice(annex[0].length)),
      kind,
      number: `${annex[1]} ${annex[2]}`,
      alwaysUnnumbered: false,
    }
  }
  const lettered = LETTERED.exec(trimmed)
  if (lettered)
    return {
      title: clean(trimmed.slice(lettered[0].length)),
      kind: 'numbered',
      number: `${lettered[1]}${lettered[2]}`,
      alwaysUnnumbered: false,
    }
  const decimal = DECIMAL.exec(trimmed)
  if (decimal && trimmed.length > decimal[0].length)
    return {
      title: clean(trimmed.slice(decimal[0].length)),
      kind: 'numbered',
      number: decimal[1]!,
      alwaysUnnumbered: false,
    }
  return {
    title: clean(trimmed),
    kind: 'unnumbered',
    number: null,
    alwaysUnnumbered: UNNUMBERED.test(clean(trimmed)),
  }
}

/** A heading title loses surrounding tabs, spaces and a leading dash. */
const clean = (title: string) =>
  title
    .replace(/^[\s–—-]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
