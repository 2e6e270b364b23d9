/**
 * One standalone, printable HTML page: the same header, numbering, entry formats and consensus record as the
 * .docx. Everything from the document is escaped; links only for the schemes the editor allows; no script, no
 * external resource (the style sheet is inline).
 */
import { isSafeUrl } from '../../shared/editor/extensions.ts'
import type { ExportDocument } from './exportDocument.ts'
import type { Item, Run } from './layout.ts'
import { CONSENSUS_RECORD_TITLE, headerRows } from './styles.ts'

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const STYLE = `body{font-family:"Times New Roman","Liberation Serif",serif;font-size:12pt;max-width:48em;margin:2em auto;line-height:1.4}
table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #000;padding:.2em .4em;vertical-align:top;text-align:left}
h1,h2,h3,h4,h5,h6{font-size:12pt}.draft{color:#c00000;font-weight:bold;font-style:italic}.note{font-size:11pt}
.abbreviation,.reference{padding-left:8em;text-indent:-8em}ins{color:#00529b}del{color:#a00}
@media print{body{margin:0;max-width:none}a{color:inherit}}`

export function writeHtml(document: ExportDocument): string {
  const body: string[] = []
  body.push('<table class="header">')
  for (const [label, value, bold] of headerRows(document.header)) {
    const cell = escapeHtml(value).replace(/\n/g, '<br>')
    body.push(
      `<tr><th scope="row">${escapeHtml(label)}</th><td>${bold ? `<strong>${cell}</strong>` : cell}</td></tr>`,
    )
  }
  body.push('</table>')
  for (const { items } of document.clauses) for (const item of items) body.push(itemHtml(item))
  body.push(`<h1>${escapeHtml(CONSENSUS_RECORD_TITLE)}</h1>`)
  body.push('<table class="consensus"><thead><tr>')
  for (const h of ['Clause', 'Title', 'Status', 'Meeting', 'Date', 'Agreed text hash'])
    body.push(`<th scope="col">${h}</th>`)
  body.push('</tr></thead><tbody>')
  for (const row of document.consensus)
    body.push(
      `<tr>${[row.number, row.title, row.status, row.meeting, row.date, row.hash12].map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`,
    )
  body.push('</tbody></table>')
  body.push('<h2>Change log</h2>', ...document.changeLog.map((line) => `<p>${escapeHtml(line)}</p>`))
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(`${document.header.documentNumber}: ${document.header.title}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...body,
    '</body></html>',
  ].join('\n')
}

function itemHtml(item: Item): string {
  if (item.type === 'table') {
    const rows = item.rows.map((row) => {
      const tag = row.header ? 'th' : 'td'
      return `<tr>${row.cells.map((cell) => `<${tag}>${cell.map(itemHtml).join('')}</${tag}>`).join('')}</tr>`
    })
    return `<table>${rows.join('')}</table>`
  }
  const content = item.runs.map(runHtml).join('')
  switch (item.style) {
    case 'heading': {
      const level = Math.min(item.level ?? 1, 6)
      return `<h${level}>${content}</h${level}>`
    }
    case 'listItem':
      return `<p class="list-item" style="margin-left:${(item.level ?? 0) * 2 + 1}em">${item.ordered ? '' : '• '}${content}</p>`
    case 'draftMark':
      return `<p class="draft">${content}</p>`
    default:
      return `<p class="${item.style}">${content}</p>`
  }
}

function runHtml(run: Run): string {
  let html = escapeHtml(run.text).replace(/\t/g, ' ').replace(/\n/g, '<br>')
  if (run.bold) html = `<strong>${html}</strong>`
  if (run.italic) html = `<em>${html}</em>`
  if (run.underline) html = `<u>${html}</u>`
  if (run.strike) html = `<s>${html}</s>`
  if (run.sub) html = `<sub>${html}</sub>`
  if (run.sup) html = `<sup>${html}</sup>`
  if (run.href && isSafeUrl(run.href))
    html = `<a href="${escapeHtml(run.href)}" rel="noopener noreferrer nofollow">${html}</a>`
  if (run.revision) {
    const tag = run.revision.type
    html = `<${tag} title="${escapeHtml(run.revision.author)}">${html}</${tag}>`
  }
  return html
}
