/**
 * Each deliverable type's clause skeleton (DOMAIN.md), as ProseMirror JSON in the shared editor schema. Only the
 * server seeds it, once, when the deliverable is created: clients never seed content (the known cause of
 * duplicated text in Yjs editors).
 */
import type { DeliverableType } from '../domain/types.ts'
import type { ClauseKind } from '../editor/clauseNodes.ts'

export interface PmNode {
  type: string
  attrs?: Record<string, unknown>
  content?: PmNode[]
  text?: string
  marks?: { type: string; attrs?: Record<string, unknown> }[]
}

/** How the deliverable names itself in its standard sentences. */
export function documentNoun(type: DeliverableType): string {
  if (type === 'terms' || type === 'requirements') return 'Technical Specification'
  if (type === 'final-report') return 'report'
  return 'Technical Report'
}

export const text = (value: string, marks?: PmNode['marks']): PmNode =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value }
export const p = (value = ''): PmNode =>
  value ? { type: 'paragraph', content: [text(value)] } : { type: 'paragraph' }
export const note = (value: string): PmNode => ({ type: 'note', content: [text(value)] })
const fieldNode = (type: string, value: string): PmNode =>
  value ? { type, content: [text(value)] } : { type }

export const definition = (term: string, body: string, source = ''): PmNode => ({
  type: 'definition',
  content: [
    fieldNode('definitionTerm', term),
    ...(source ? [fieldNode('definitionSource', source)] : []),
    fieldNode('definitionText', body),
  ],
})
export const abbreviation = (term: string, expansion: string): PmNode => ({
  type: 'abbreviation',
  content: [fieldNode('abbreviationTerm', term), fieldNode('abbreviationExpansion', expansion)],
})
export const reference = (tag: string, body: string): PmNode => ({
  type: 'reference',
  content: [fieldNode('referenceTag', tag), fieldNode('referenceText', body)],
})
export const requirement = (id: string, body: string): PmNode => ({
  type: 'requirement',
  content: [fieldNode('requirementId', id), fieldNode('requirementText', body)],
})

export function table(header: string[], rows: string[][]): PmNode {
  const cell = (type: string, value: string): PmNode => ({ type, content: [p(value)] })
  return {
    type: 'table',
    content: [
      { type: 'tableRow', content: header.map((h) => cell('tableHeader', h)) },
      ...rows.map((row) => ({ type: 'tableRow', content: row.map((v) => cell('tableCell', v)) })),
    ],
  }
}

export interface ClauseSpec {
  title: string
  kind?: ClauseKind
  blocks?: PmNode[]
  children?: ClauseSpec[]
  /** Clauses 2 to 5: never removed (DOMAIN.md). */
  required?: boolean
}

export interface Skeleton {
  doc: PmNode
  /** The `id` attributes of the clauses that may never be removed. */
  requiredClauseIds: string[]
}

export function buildClauses(specs: ClauseSpec[], newId: () => string): Skeleton {
  const requiredClauseIds: string[] = []
  const build = (spec: ClauseSpec): PmNode => {
    const id = newId()
    if (spec.required) requiredClauseIds.push(id)
    return {
      type: 'clause',
      attrs: { id, kind: spec.kind ?? 'numbered' },
      content: [
        { type: 'clauseHeading', content: spec.title ? [text(spec.title)] : [] },
        ...(spec.blocks ?? [p()]),
        ...(spec.children ?? []).map(build),
      ],
    }
  }
  return { doc: { type: 'doc', content: specs.map(build) }, requiredClauseIds }
}
