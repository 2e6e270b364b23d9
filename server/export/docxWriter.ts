/**
 * The .docx writer (the maintained `docx` package), from the laid-out clause tree, never from HTML: the ITU header
 * table, a table of contents field, headings in Heading styles with literal numbers, the entry formats in named
 * paragraph styles (so that the import and Word's style pane know them), revision marks as real w:ins/w:del, and
 * the consensus record. Times New Roman 12 pt (LibreOffice substitutes the metric-compatible Liberation Serif).
 */
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  type ParagraphChild,
  Tab,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { ConsensusRow, ExportDocument, HeaderInfo, WordComment } from './exportDocument.ts'
import type { Item, Para, ParaStyle, Run } from './layout.ts'
import { CONSENSUS_RECORD_TITLE, DOCX_STYLES, headerRows, STYLE_SPECS } from './styles.ts'

const FONT = 'Times New Roman'
const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const

export async function writeDocx(document: ExportDocument): Promise<Buffer> {
  const writer = new DocxParts(document.revisionDate ?? new Date().toISOString())
  const children: (Paragraph | Table | TableOfContents)[] = [
    headerTable(document.header),
    new Paragraph({ style: DOCX_STYLES.generated.id, children: [] }),
    new Paragraph({
      style: DOCX_STYLES.generated.id,
      children: [new TextRun({ text: 'Contents', bold: true })],
    }),
    new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-3' }),
  ]
  for (const { items } of document.clauses) children.push(...items.map((item) => writer.item(item)))
  children.push(...consensusRecord(document))
  const doc = new Document({
    creator: 'Accord',
    title: document.header.title,
    description: `${document.header.documentNumber}: ${document.header.title}`,
    features: { updateFields: true, ...(document.revisionDate ? { trackRevisions: true } : {}) },
    styles: {
      default: {
        document: { run: { font: FONT, size: 24 } },
        ...Object.fromEntries(
          [1, 2, 3, 4, 5, 6].map((n) => [
            `heading${n}`,
            {
              run: { font: FONT, size: 24, bold: true, color: '000000' },
              paragraph: { spacing: { before: 240, after: 120 } },
            },
          ]),
        ),
      },
      paragraphStyles: STYLE_SPECS.map((style) => ({
        id: style.id,
        name: style.name,
        basedOn: style.basedOn ?? 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { font: FONT, size: 24, ...style.run },
        paragraph: style.paragraph ?? {},
      })),
    },
    numbering: {
      config: [
        {
          reference: 'accord-ordered',
          levels: [0, 1, 2, 3, 4, 5].map((level) => ({
            level,
            format: 'decimal' as const,
            text: `%${level + 1})`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 567 * (level + 1), hanging: 567 } } },
          })),
        },
      ],
    },
    ...(document.comments?.length ? { comments: { children: document.comments.map(wordComment) } } : {}),
    sections: [{ children }],
  })
  return Packer.toBuffer(doc)
}

function wordComment(comment: WordComment) {
  return {
    id: comment.id,
    author: comment.author,
    initials: comment.initials,
    date: new Date(comment.date),
    ...(comment.parentId !== undefined ? { parentId: comment.parentId } : {}),
    children: comment.text.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] })),
  }
}

const STYLE_IDS: Record<ParaStyle, string | undefined> = {
  heading: undefined,
  body: undefined,
  listItem: undefined,
  note: DOCX_STYLES.note.id,
  definition: DOCX_STYLES.definition.id,
  abbreviation: DOCX_STYLES.abbreviation.id,
  reference: DOCX_STYLES.reference.id,
  requirement: DOCX_STYLES.requirement.id,
  generated: DOCX_STYLES.generated.id,
  draftMark: DOCX_STYLES.draftMark.id,
}

class DocxParts {
  private revisionId = 1
  constructor(private readonly date: string) {}

  item(item: Item): Paragraph | Table {
    if (item.type === 'table') return this.table(item)
    return this.paragraph(item)
  }

  paragraph(para: Para): Paragraph {
    const children = para.runs.flatMap((run) => this.run(run))
    if (para.style === 'heading')
      return new Paragraph({ heading: HEADINGS[Math.min(para.level ?? 1, 6) - 1], children })
    if (para.style === 'listItem') {
      const level = Math.min(para.level ?? 0, 5)
      return para.ordered
        ? new Paragraph({ numbering: { reference: 'accord-ordered', level }, children })
        : new Paragraph({ bullet: { level }, children })
    }
    const style = STYLE_IDS[para.style]
    return new Paragraph({ ...(style ? { style } : {}), children })
  }

  private table(item: Extract<Item, { type: 'table' }>): Table {
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: item.rows.map(
        (row) =>
          new TableRow({
            tableHeader: row.header,
            children: row.cells.map((cell) => {
              const content = cell.map((inner) => this.item(inner))
              return new TableCell({ children: content.length > 0 ? content : [new Paragraph({})] })
            }),
          }),
      ),
    })
  }

  /** One run of ours: split at tabs and line breaks, inside a hyperlink or a revision as it says. */
  private run(run: Run): ParagraphChild[] {
    if (run.comment) {
      const { id, edge } = run.comment
      return edge === 'start'
        ? [new CommentRangeStart(id)]
        : [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]
    }
    const pieces = run.text.split(/(\t|\n)/).filter((piece) => piece !== '')
    const format = {
      bold: run.bold,
      italics: run.italic,
      strike: run.strike,
      subScript: run.sub,
      superScript: run.sup,
      ...(run.underline || run.href ? { underline: {} } : {}),
      ...(run.href ? { color: '0563C1' } : {}),
    }
    const made = pieces.map((piece) => {
      const content =
        piece === '\t' ? { children: [new Tab()] } : piece === '\n' ? { break: 1 } : { text: piece }
      if (!run.revision) return new TextRun({ ...format, ...content })
      const { author, date = this.date } = run.revision
      const change = { id: this.revisionId++, author, date }
      return run.revision.type === 'ins'
        ? new InsertedTextRun({ ...format, ...content, ...change })
        : new DeletedTextRun({ ...format, ...content, ...change })
    })
    return run.href ? [new ExternalHyperlink({ link: run.href, children: made })] : made
  }
}

function cellParagraphs(text: string, bold = false): Paragraph[] {
  return text
    .split('\n')
    .map(
      (line) =>
        new Paragraph({ style: DOCX_STYLES.generated.id, children: [new TextRun({ text: line, bold })] }),
    )
}

function twoColumnTable(rows: [string, string, boolean?][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(
      ([left, right, bold]) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: 25, type: WidthType.PERCENTAGE },
              children: cellParagraphs(left, true),
            }),
            new TableCell({ children: cellParagraphs(right, bold) }),
          ],
        }),
    ),
  })
}

function headerTable(header: HeaderInfo): Table {
  return twoColumnTable(headerRows(header))
}

function consensusRecord(document: ExportDocument): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    new Paragraph({ style: DOCX_STYLES.recordHeading.id, children: [new TextRun(CONSENSUS_RECORD_TITLE)] }),
    new Paragraph({
      style: DOCX_STYLES.record.id,
      children: [
        new TextRun(
          'Each clause with its consensus status, the meeting and date of its agreement, and the first 12 hex ' +
            'digits of the SHA-256 hash of the agreed text, so that the recipient can check that it is what the group agreed.',
        ),
      ],
    }),
    consensusTable(document.consensus),
  ]
  if (
    !document.clauses.some(
      (c) =>
        c.clause.level === 1 &&
        c.clause.kind === 'unnumbered' &&
        c.items.length > 0 &&
        /Change log/.test(c.clause.title.map((r) => r.text).join('')),
    )
  )
    out.push(
      new Paragraph({
        style: DOCX_STYLES.record.id,
        children: [new TextRun({ text: 'Change log', bold: true })],
      }),
      ...document.changeLog.map(
        (line) => new Paragraph({ style: DOCX_STYLES.record.id, children: [new TextRun(line)] }),
      ),
    )
  return out
}

function consensusTable(rows: readonly ConsensusRow[]): Table {
  const header = ['Clause', 'Title', 'Status', 'Meeting', 'Date', 'Agreed text hash']
  const cell = (text: string, bold = false) =>
    new TableCell({
      children: [new Paragraph({ style: DOCX_STYLES.record.id, children: [new TextRun({ text, bold })] })],
    })
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }),
      ...rows.map(
        (row) =>
          new TableRow({
            children: [row.number, row.title, row.status, row.meeting, row.date, row.hash12].map((v) =>
              cell(v),
            ),
          }),
      ),
    ],
  })
}
