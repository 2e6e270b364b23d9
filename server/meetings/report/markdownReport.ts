/** The meeting report as Markdown: headings, paragraphs and pipe tables. */
import type { ReportBlock } from './reportModel.ts'

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
}

export function markdownReport(blocks: ReportBlock[]): string {
  const out: string[] = []
  for (const block of blocks) {
    if (block.kind === 'heading') out.push(`${'#'.repeat(block.level)} ${block.text}`, '')
    else if (block.kind === 'para') out.push(block.text, '')
    else {
      out.push(`| ${block.header.map(cell).join(' | ')} |`)
      out.push(`|${block.header.map(() => ' --- ').join('|')}|`)
      for (const row of block.rows) out.push(`| ${row.map(cell).join(' | ')} |`)
      out.push('')
    }
  }
  return out.join('\n')
}
