/**
 * Revision marks match clauses by id: a renamed and moved clause is compared with itself (only the changed words
 * marked), a removed clause is shown deleted where it stood, an added one inserted.
 */

import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { readModel } from '../../server/export/documentModel.ts'
import { type LaidOutClause, layoutClauses, type Run } from '../../server/export/layout.ts'
import { markRevisions } from '../../server/export/revisionMarks.ts'
import { clause, deliverable, p } from '../support/builders.ts'

const options = { type: 'technical-report' as const, agreed: new Set<string>(), changeLog: [] }
const laid = (doc: Y.Doc) => layoutClauses(readModel(doc, { withClients: true }), options)

function marked(clauses: LaidOutClause[], type: 'ins' | 'del'): string[] {
  return clauses.map((c) =>
    c.items
      .flatMap((item) => (item.type === 'para' ? item.runs : []))
      .filter((run: Run) => run.revision?.type === type)
      .map((run) => run.text)
      .join(''),
  )
}

describe('clauses matched by id', () => {
  it('marks only the changed words of a renamed, moved clause; removed and added clauses whole', () => {
    const base = deliverable(
      clause({ id: 'a' }, 'Scope', p('The scope is narrow.')),
      clause({ id: 'b' }, 'Overview', p('An overview.')),
      clause({ id: 'c' }, 'Old part', p('Gone soon.')),
    )
    const present = deliverable(
      clause({ id: 'b' }, 'Overview', p('An overview.')),
      clause({ id: 'a' }, 'Scope and field', p('The scope is wide.')),
      clause({ id: 'd' }, 'New part', p('Fresh text.')),
    )
    const author = (client: number) => `client ${client}`
    const out = markRevisions(laid(base.ydoc()), laid(present.ydoc()), author)
    // The removed clause stays after the clause it followed in the base.
    expect(out.map((c) => c.clause.id)).toEqual(['b', 'c', 'a', 'd'])
    expect(marked(out, 'ins')).toEqual(['', '', ' and fieldwide', 'New partFresh text.'])
    expect(marked(out, 'del')).toEqual(['', 'Old partGone soon.', 'narrow', ''])
  })
})
