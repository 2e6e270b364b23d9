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
  // A stack rather than recursion: the tree comes from a document, which may nest deeper than the call stack.
  const stack = topLevel(roots).reverse()
  while (stack.length > 0) {
    const { node, number, prefix, level, path } = stack.pop()!
    out.push({ id: node.id, number, title: node.title, level, kind: node.kind, path })
    for (let index = node.children.length - 1; index >= 0; index--) {
      const childNumber = prefix === null ? '' : `${prefix}.${index + 1}`
      stack.push({
        node: node.children[index]!,
        number: childNumber,
        prefix: prefix === null ? null : childNumber,
        level: level + 1,
        path: [...path, index],
      })
    }
  }
  return out
}

interface Pending {
  node: ClauseNode
  number: string
  /** What the sub-clauses' numbers start with; null when they are unnumbered. */
  prefix: string | null
  level: number
  path: number[]
}

/** Top-level clauses are counted per kind: 1, 2; Annex A, B; Appendix I, II. */
function topLevel(roots: readonly ClauseNode[]): Pending[] {
  const counters: Record<'numbered' | 'annex' | 'appendix', number> = { numbered: 0, annex: 0, appendix: 0 }
  return roots.map((root, index) => {
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
    return { node: root, number: label, prefix, level: 1, path: [index] }
  })
}
