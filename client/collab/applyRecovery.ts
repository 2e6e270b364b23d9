/**
 * Carries out a recovery plan (recoveryPlan.ts) on a fresh replica, as new edits of its own clientID. Content is
 * converted with y-tiptap's own ProseMirror-to-Yjs conversion, so it is stored exactly as typing would store it.
 */
import type { Schema } from '@tiptap/pm/model'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { clauseIdOf, findClauseElement, isClauseElement } from '../../shared/clauses/clauseText.ts'
import { CLAUSE } from '../../shared/editor/clauseNodes.ts'
import type { JsonNode, KeptText, RecoveryPlan } from './recoveryPlan.ts'
import { clauseId, ownText, plainTextOf, titleOf } from './recoveryPlan.ts'

export const RECOVERY_ORIGIN = Symbol('accord-recovery')

type Parent = Y.XmlElement | Y.XmlFragment

/** Yjs copies of ProseMirror JSON nodes, not yet part of any document. */
function toYjs(schema: Schema, nodes: JsonNode[]): (Y.XmlElement | Y.XmlText)[] {
  const scratch = new Y.Doc()
  const fragment = scratch.getXmlFragment('scratch')
  // Wrapped in a clause, whose content expression accepts headings, blocks and clauses alike.
  prosemirrorJSONToYXmlFragment(
    schema,
    { type: 'doc', content: [{ type: CLAUSE, content: nodes }] },
    fragment,
  )
  const wrapper = fragment.get(0) as Y.XmlElement
  return wrapper.toArray().map((child) => (child as Y.XmlElement | Y.XmlText).clone())
}

/** Applies what it can; returns the clauses whose work could not be applied (their text is kept for the user). */
export function applyRecoveryPlan(body: Y.XmlFragment, schema: Schema, plan: RecoveryPlan): KeptText[] {
  const failed: KeptText[] = []
  const doc = body.doc
  if (!doc) return failed
  doc.transact(() => {
    for (const op of plan.ops) {
      try {
        if (op.kind === 'replace-blocks') {
          const clause = findClauseElement(body, op.clauseId)
          if (!clause) continue
          const own = clause.toArray().filter((child) => !isClauseElement(child))
          const all = clause.toArray()
          const at =
            op.start < own.length
              ? all.indexOf(own[op.start]!)
              : own.length
                ? all.indexOf(own.at(-1)!) + 1
                : 0
          if (op.deleteCount > 0) clause.delete(at, op.deleteCount)
          if (op.insert.length > 0) clause.insert(at, toYjs(schema, op.insert))
        } else {
          const parent: Parent | null = op.parentId ? findClauseElement(body, op.parentId) : body
          if (!parent) throw new Error('parent clause is gone')
          const children = parent.toArray()
          const after = op.afterId
            ? children.findIndex((c) => isClauseElement(c) && clauseIdOf(c) === op.afterId)
            : -1
          const firstClause = children.findIndex(isClauseElement)
          const at = after >= 0 ? after + 1 : firstClause >= 0 ? firstClause : children.length
          parent.insert(at, toYjs(schema, [op.clause]))
        }
      } catch {
        if (op.kind === 'insert-clause') {
          failed.push({ clauseId: clauseId(op.clause), title: titleOf(op.clause), text: ownText(op.clause) })
        } else {
          const text = op.insert
            .filter((n) => n.type !== 'clauseHeading')
            .map(plainTextOf)
            .join('\n')
          failed.push({ clauseId: op.clauseId, title: '', text })
        }
      }
    }
  }, RECOVERY_ORIGIN)
  return failed
}
