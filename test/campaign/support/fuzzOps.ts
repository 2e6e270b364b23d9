/**
 * The protocol fuzzer's model of edits: operations a client could make on its replica of the document, aimed at
 * free, agreed and required clauses, and the answer the server owes each one (SYNC.md §2): refused when it
 * touches an agreed clause (text, formatting, attributes, blocks, sub-clauses), removes a protected clause or an
 * ancestor of one, comes from a reader, or would go pending (a clock gap, a reference to unseen content);
 * applied otherwise.
 */
import fc from 'fast-check'
import * as Y from 'yjs'
import { CLAUSE, CLAUSE_HEADING } from '../../../shared/editor/clauseNodes.ts'
import { newClause } from './workload.ts'

export type Target = { kind: 'free' | 'agreed' | 'required' | 'parent-of-agreed'; pick: number }

export type EditOp =
  | { op: 'insert-text'; target: Target; at: number; text: string }
  | { op: 'delete-text'; target: Target; at: number; length: number }
  | { op: 'format'; target: Target; at: number; length: number; mark: 'bold' | 'italic' }
  | { op: 'heading'; target: Target; at: number; text: string }
  | { op: 'attribute'; target: Target; key: 'id' | 'kind' | 'data-x'; value: string }
  | { op: 'insert-block'; target: Target }
  | { op: 'delete-block'; target: Target }
  | { op: 'insert-subclause'; target: Target }
  | { op: 'delete-clause'; target: Target }
  | { op: 'insert-clause-after'; target: Target }

export type Delivery =
  | 'update'
  | 'step2'
  | 'gap'
  | 'reorder'
  | 'dangling-origin'
  | 'dangling-delete'
  | 'duplicate'

export interface UpdateCase {
  ops: EditOp[]
  delivery: Delivery
  reader: boolean
  hello: boolean
  clientId: number | null
}

const target = fc.record({
  kind: fc.constantFrom<Target['kind']>('free', 'free', 'agreed', 'agreed', 'required', 'parent-of-agreed'),
  pick: fc.nat(1000),
})
const fraction = fc.nat(1000)
const smallText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('x', '\u202e', '😀', '<b>'),
)

export const editOp: fc.Arbitrary<EditOp> = fc.oneof(
  fc.record({ op: fc.constant('insert-text' as const), target, at: fraction, text: smallText }),
  fc.record({
    op: fc.constant('delete-text' as const),
    target,
    at: fraction,
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    op: fc.constant('format' as const),
    target,
    at: fraction,
    length: fc.integer({ min: 1, max: 8 }),
    mark: fc.constantFrom('bold' as const, 'italic' as const),
  }),
  fc.record({ op: fc.constant('heading' as const), target, at: fraction, text: smallText }),
  fc.record({
    op: fc.constant('attribute' as const),
    target,
    key: fc.constantFrom('id' as const, 'kind' as const, 'data-x' as const),
    value: fc.constantFrom('annex', 'numbered', 'dup', 'fuzz2', 'x'),
  }),
  fc.record({ op: fc.constant('insert-block' as const), target }),
  fc.record({ op: fc.constant('delete-block' as const), target }),
  fc.record({ op: fc.constant('insert-subclause' as const), target }),
  fc.record({ op: fc.constant('delete-clause' as const), target }),
  fc.record({ op: fc.constant('insert-clause-after' as const), target }),
)

export const updateCase: fc.Arbitrary<UpdateCase> = fc.record({
  ops: fc.array(editOp, { minLength: 1, maxLength: 3 }),
  delivery: fc.constantFrom<Delivery>(
    'update',
    'update',
    'update',
    'step2',
    'gap',
    'reorder',
    'dangling-origin',
    'dangling-delete',
    'duplicate',
  ),
  reader: fc.nat(4).map((n) => n === 0),
  hello: fc.boolean(),
  clientId: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: null }),
})

/** The clauses of the fuzz document, by what protects them; built from the stored ids at setup. */
export interface ClauseRoles {
  agreed: Set<string>
  required: Set<string>
  /** Never a target: the honest client types there. */
  untouchable: Set<string>
}

const key = (element: Y.XmlElement) => `${element._item!.id.client}:${element._item!.id.clock}`

function allClauses(body: Y.XmlFragment): Y.XmlElement[] {
  const out: Y.XmlElement[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray())
      if (child instanceof Y.XmlElement && child.nodeName === CLAUSE) {
        out.push(child)
        walk(child)
      }
  }
  walk(body)
  return out
}

function protectedBelow(element: Y.XmlElement, roles: ClauseRoles): boolean {
  return allClauses(element as unknown as Y.XmlFragment).some(
    (c) => roles.agreed.has(key(c)) || roles.required.has(key(c)),
  )
}

function kindOf(element: Y.XmlElement, roles: ClauseRoles): Target['kind'] | null {
  const k = key(element)
  if (roles.untouchable.has(k)) return null
  if (roles.agreed.has(k)) return 'agreed'
  if (roles.required.has(k)) return 'required'
  if (protectedBelow(element, roles)) return 'parent-of-agreed'
  return 'free'
}

function resolve(body: Y.XmlFragment, roles: ClauseRoles, t: Target): Y.XmlElement | null {
  const candidates = allClauses(body).filter((c) => kindOf(c, roles) === t.kind)
  if (candidates.length === 0) return null
  return candidates[t.pick % candidates.length]!
}

function firstText(clause: Y.XmlElement, nodeName: string): Y.XmlText | null {
  const block = clause
    .toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === nodeName)
  const text = block?.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText)
  return text ?? null
}

const at = (fraction: number, length: number) => Math.floor((fraction / 1000) * (length + 1))

/** Ids of new clauses: deterministic, so a seed replays the same bytes. */
let serial = 0

/**
 * Applies one operation to the replica. Answers whether it changed a protected clause, or null when the
 * operation found nothing to act on (and changed nothing).
 */
export function applyOp(
  body: Y.XmlFragment,
  roles: ClauseRoles,
  op: EditOp,
): { touchesLocked: boolean } | null {
  const clause = resolve(body, roles, op.target)
  if (!clause) return null
  const kind = kindOf(clause, roles)!
  const agreed = kind === 'agreed'
  switch (op.op) {
    case 'insert-text':
    case 'delete-text':
    case 'format': {
      const text = firstText(clause, 'paragraph')
      if (!text || (op.op !== 'insert-text' && text.length === 0)) return null
      const start = Math.min(at(op.at, text.length), Math.max(0, text.length - 1))
      if (op.op === 'insert-text') text.insert(at(op.at, text.length), op.text)
      else if (op.op === 'delete-text') text.delete(start, Math.min(op.length, text.length - start))
      else text.format(start, Math.min(op.length, text.length - start), { [op.mark]: true })
      return { touchesLocked: agreed }
    }
    case 'heading': {
      const text = firstText(clause, CLAUSE_HEADING)
      if (!text) return null
      text.insert(at(op.at, text.length), op.text)
      return { touchesLocked: agreed }
    }
    case 'attribute':
      clause.setAttribute(op.key, op.value)
      return { touchesLocked: agreed }
    case 'insert-block': {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('A new block.')])
      clause.insert(clause.length > 0 ? 1 : 0, [paragraph])
      return { touchesLocked: agreed }
    }
    case 'delete-block': {
      const index = clause.toArray().findIndex((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
      if (index < 0) return null
      clause.delete(index, 1)
      return { touchesLocked: agreed }
    }
    case 'insert-subclause':
      clause.insert(clause.length, [newClause(`sub${++serial}`, 'A new sub-clause', 'x')])
      return { touchesLocked: agreed }
    case 'delete-clause': {
      const parent = clause.parent as Y.XmlElement | Y.XmlFragment
      const index = parent.toArray().indexOf(clause)
      parent.delete(index, 1)
      return { touchesLocked: kind !== 'free' }
    }
    case 'insert-clause-after': {
      // A sibling after the clause: inside its parent, outside the clause itself.
      const parent = clause.parent as Y.XmlElement | Y.XmlFragment
      const parentKind = parent instanceof Y.XmlElement ? kindOf(parent, roles) : 'free'
      const index = parent.toArray().indexOf(clause)
      parent.insert(index + 1, [newClause(`new${++serial}`, 'A new clause', 'y')])
      return { touchesLocked: parentKind === 'agreed' }
    }
  }
}

export { allClauses, key as itemKeyOf }
