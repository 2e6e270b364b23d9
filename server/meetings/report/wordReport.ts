/**
 * The meeting report as a Word document, with the `docx` library the deliverable export uses; it lays out the
 * writer-neutral outline (reportModel.ts) so that the export's Word helpers can take its place later.
 */
import {
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { ReportBlock } from './reportModel.ts'

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const
const LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' }

function row(cells: string[], header: boolean): TableRow {
  return new TableRow({
    tableHeader: header,
    children: cells.map(
      (text) =>
        new TableCell({
          children: [
            new Paragraph({ children: [new TextRun({ text, bold: header, font: 'Times New Roman' })] }),
          ],
        }),
    ),
  })
}

function table(header: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: LINE,
      bottom: LINE,
      left: LINE,
      right: LINE,
      insideHorizontal: LINE,
      insideVertical: LINE,
    },
    rows: [row(header, true), ...rows.map((cells) => row(cells, false))],
  })
}

export async function wordReport(blocks: ReportBlock[], title: string): Promise<Buffer> {
  const children = blocks.map((block) => {
    if (block.kind === 'heading') return new Paragraph({ heading: HEADINGS[block.level], text: block.text })
    if (block.kind === 'para')
      return new Paragraph({
        children: [new TextRun({ text: block.text, font: 'Times New Roman', size: 24 })],
      })
    return table(block.header, block.rows)
  })
  const document = new Document({ title, creator: 'Accord', sections: [{ children }] })
  return Packer.toBuffer(document)
}
