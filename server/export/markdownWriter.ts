/**
 * Markdown: the same numbering, entry formats and consensus record as the other writers, as plain text that any
 * viewer shows. Characters that Markdown would read as markup or HTML are escaped.
 */
import { isSafeUrl } from '../../shared/editor/extensions.ts'
import type { ExportDocument } from './exportDocument.ts'
import type { Item, Run } from './layout.ts'
import { CONSENSUS_RECORD_TITLE, headerRows } from './styles.ts'

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-!|~<>&])/g, '\\$1')
}

const cell = (text: string) => escapeMarkdown(text).replace(/\n/g, '<br>')

export function writeMarkdown(document: ExportDocument): string {
  const out: string[] = ['| | |', '| --- | --- |']
  for (const [label, value] of headerRows(document.header)) out.push(`| ${cell(label)} | ${cell(value)} |`)
  out.push('')
  for (const { items } of document.clauses) for (const item of items) out.push(itemMarkdown(item), '')
  out.push(`# ${escapeMarkdown(CONSENSUS_RECORD_TITLE)}`, '')
  out.push(
    '| Clause | Title | Status | Meeting | Date | Agreed text hash |',
    '| --- | --- | --- | --- | --- | --- |',
  )
  for (const row of document.consensus)
    out.push(
      `| ${[row.number, row.title, row.status, row.meeting, row.date, row.hash12].map(cell).join(' | ')} |`,
    )
  out.push('', '## Change log', '', ...document.changeLog.map(escapeMarkdown), '')
  return out.join('\n')
}

function itemMarkdown(item: Item): string {
  if (item.type === 'table') {
    const rows = item.rows.map(
      (row) => `| ${row.cells.map((c) => cell(c.map(plainItem).join(' '))).join(' | ')} |`,
    )
    const width = item.rows[0]?.cells.length ?? 1
    return [rows[0] ?? '|  |', `|${' --- |'.repeat(width)}`, ...rows.slice(1)].join('\n')
  }
  const content = item.runs.map(runMarkdown).join('')
  switch (item.style) {
    case 'heading':
      return `${'#'.repeat(Math.min(item.level ?? 1, 6))} ${content}`
    case 'listItem':
      return `${'  '.repeat(item.level ?? 0)}${item.ordered ? '1.' : '-'} ${content}`
    case 'draftMark':
      return `*${content}*`
    default:
      return content
  }
}

const plainItem = (item: Item): string => (item.type === 'para' ? item.runs.map((r) => r.text).join('') : '')

function runMarkdown(run: Run): string {
  if (run.text === '') return ''
  let md = escapeMarkdown(run.text).replace(/\t/g, ' ').replace(/\n/g, '  \n')
  if (run.bold) md = `**${md}**`
  if (run.italic) md = `*${md}*`
  if (run.strike || run.revision?.type === 'del') md = `~~${md}~~`
  if (run.sub) md = `<sub>${md}</sub>`
  if (run.sup) md = `<sup>${md}</sup>`
  if (run.href && isSafeUrl(run.href)) md = `[${md}](<${encodeURI(run.href).replace(/[<>]/g, '')}>)`
  return md
}
