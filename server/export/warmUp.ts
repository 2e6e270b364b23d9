/**
 * A small document with one of each thing the .docx writer prints (heading, body, entries, list, table, link,
 * inserted and deleted text): the export worker writes it once when it starts, so that V8 has compiled the
 * writer's and the `docx` package's code before the first real export rather than during it.
 */
import type { ModelClause } from './documentModel.ts'
import type { ExportDocument } from './exportDocument.ts'
import type { Item, Para } from './layout.ts'

const para = (style: Para['style'], text: string, extra: Partial<Para> = {}): Para => ({
  type: 'para',
  style,
  runs: [{ text }],
  ...extra,
})

export function warmUpDocument(): ExportDocument {
  const clause: ModelClause = {
    id: 'warm-up',
    number: '1',
    title: [{ text: 'Scope' }],
    level: 1,
    kind: 'numbered',
    topKind: 'numbered',
    hasChildren: false,
    blocks: [],
  }
  const items: Item[] = [
    { type: 'para', style: 'heading', level: 1, runs: [{ text: '1', generated: true }, { text: 'Scope' }] },
    para('draftMark', 'Draft: not agreed'),
    {
      type: 'para',
      style: 'body',
      runs: [
        { text: 'Plain, ' },
        { text: 'bold', bold: true },
        { text: ' and ', italic: true, underline: true },
        { text: 'x', sup: true },
        { text: 'link', href: 'https://www.itu.int/' },
        { text: 'new', revision: { type: 'ins', author: 'Accord' } },
        { text: 'old', revision: { type: 'del', author: 'Accord' } },
        { text: 'a\tb\nc' },
      ],
    },
    para('note', 'NOTE – A note.'),
    para('definition', '3.2.1 term: definition.'),
    para('abbreviation', 'ITU\tInternational Telecommunication Union'),
    para('reference', '[ITU-T X.1]\tA reference.'),
    para('requirement', 'R1: A requirement.'),
    para('listItem', 'First', { level: 0, ordered: true }),
    para('listItem', 'Second', { level: 1, ordered: false }),
    {
      type: 'table',
      rows: [
        { header: true, cells: [[para('body', 'Head')], [para('body', 'Head')]] },
        { header: false, cells: [[para('body', 'Cell')], []] },
      ],
    },
  ]
  return {
    type: 'technical-report',
    header: {
      documentNumber: 'Draft',
      group: '',
      studyPeriod: '',
      workingGroup: '',
      meeting: '',
      source: '',
      title: 'Warm-up',
      purpose: '',
      contacts: [],
      keywords: '',
      abstract: '',
    },
    clauses: [{ clause, items }],
    changeLog: ['No clause of this text has been agreed yet.'],
    consensus: [{ number: '1', title: 'Scope', status: 'draft', meeting: '', date: '', hash12: '' }],
    revisionDate: '2026-01-01T00:00:00Z',
    pendingRevisions: null,
    agreedOnly: false,
  }
}
