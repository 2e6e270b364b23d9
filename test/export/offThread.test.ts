/** The .docx writer runs on a worker thread, so that a long export does not stall live editing. */
import { describe, expect, it } from 'vitest'
import { readModel } from '../../server/export/documentModel.ts'
import { writeDocxOffThread } from '../../server/export/docxOffThread.ts'
import { layoutClauses } from '../../server/export/layout.ts'
import { clause, deliverable, p } from '../support/builders.ts'

describe('the .docx writer', () => {
  it('runs on a worker thread and answers the same file as in-process', async () => {
    const doc = deliverable(clause('Scope', p('The scope.')), clause('Overview', p('An overview.'))).ydoc()
    const clauses = layoutClauses(readModel(doc), {
      type: 'technical-report',
      agreed: new Set(),
      changeLog: [],
    })
    const header = {
      documentNumber: 'FGMV-01',
      group: 'FG',
      studyPeriod: '2025-2028',
      workingGroup: '',
      meeting: '',
      source: 'Editors',
      title: 'Small',
      purpose: 'Discussion',
      contacts: [],
      keywords: '',
      abstract: '',
    }
    const result = await writeDocxOffThread({
      document: {
        type: 'technical-report',
        header,
        clauses,
        changeLog: [],
        consensus: [],
        revisionDate: null,
        pendingRevisions: null,
        agreedOnly: false,
      },
    })
    expect(result.offThread).toBe(true)
    expect(result.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
  })
})
