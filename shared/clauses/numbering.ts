/**
 * Clause numbers as ITU-T prints them (DOMAIN.md "Clause structure"), always derived from the structure and
 * never stored: 1, 2, 3.1, 3.1.1; Annex A, A.1; Appendix I, I.1; unnumbered clauses (Summary, Keywords,
 * Bibliography, front matter) and their sub-clauses get an empty number.
 */
import type { ClauseKind } from '../editor/clauseNodes.ts'

export interface ClauseNode {
  id: string
  kind: ClauseKind
  title: string
  children: ClauseNode[]
}

export interface NumberedClause {
  id: string
  /** The number as printed: "3.2", "Annex A", "A.1", "Appendix I", "I.1", or "" for unnumbered clauses. */
  number: string
  title: string
  /** 1 for a top-level clause. */
  level: number
  kind: ClauseKind
  /** The index path from the root (0-based), unique even when ids are duplicated. */
  path: number[]
}

export function romanNumeral(n: number): string {
  const table: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ]
  let rest = n
  let out = ''
  for (const [value, symbol] of table) {
    while (rest >= value) {
      out += symbol
      rest -= value
    }
  }
  return out
}

/** A, B, ..., Z, AA, AB, ... */
export function annexLetter(n: number): string {
  let rest = n
  let out = ''
  while (rest > 0) {
    const digit = (rest - 1) % 26
    out = String.fromCharCode(65 + digit) + out
    rest = Math.floor((rest - 1) / 26)
  }
  return out
}

/** Flattens the clause tree in document order with each clause's number. */
export function numberClauses(roots: readonly ClauseNode[]): NumberedClause[] {
  const out: NumberedClause[] = []
  const counters: Record<'numbered' | 'annex' | 'appendix', number> = { numbered: 0, annex: 0, appendix: 0 }

  roots.forEach((root, index) => {
    let label = ''
    let prefix: string | null = null
    if (root.kind !== 'unnumbered') {
      counters[root.kind] += 1
      const n = counters[root.kind]
      if (root.kind === 'numbered') {
        label = String(n)
        prefix = label
      } else if (root.kind === 'annex') {
        prefix = annexLetter(n)
        label = `Annex ${prefix}`
      } else {
        prefix = romanNumeral(n)
        label = `Appendix ${prefix}`
      }
    }
    out.push({ id: root.id, number: label, title: root.title, level: 1, kind: root.kind, path: [index] })
    visitChildren(root, prefix, 2, [index], out)
  })
  return out
}

function visitChildren(
  parent: ClauseNode,
  prefix: string | null,
  level: number,
  path: number[],
  out: NumberedClause[],
): void {
  parent.children.forEach((child, index) => {
    const number = prefix === null ? '' : `${prefix}.${index + 1}`
    const childPath = [...path, index]
    out.push({ id: child.id, number, title: child.title, level, kind: child.kind, path: childPath })
    visitChildren(child, prefix === null ? null : number, level + 1, childPath, out)
  })
}
