/**
 * Result tables: one column per server and Accord's ratio to the best peer, rendered as Markdown for the
 * terminal and `bench/results/latest.md`, and kept as data for `latest.json`.
 */
import { FLOOR, PEER_LABELS, PEERS, type PeerKind } from './peers/types.ts'

export type Better = 'lower' | 'higher'
/** A measured number, a text (e.g. "cannot: no storage"), or null when not measured. */
export type CellValue = number | string | null

export interface MetricRow {
  label: string
  values: Partial<Record<PeerKind, CellValue>>
  /** Which direction is better; rows without one get no ratio. */
  better?: Better
  digits?: number
  /** A target on Accord's ratio or value, shown with whether it was met. */
  target?: { text: string; met: boolean | null }
}

/** One column per server. */
export interface PeerTable {
  title: string
  rows: MetricRow[]
  notes?: string[]
}

/** Free columns (e.g. one per document size), already formatted. */
export interface PlainTable {
  title: string
  header: string[]
  cells: string[][]
  notes?: string[]
}

export type Table = PeerTable | PlainTable

export interface ScenarioReport {
  id: string
  title: string
  tables: Table[]
  notes: string[]
  raw: unknown
}

function formatNumber(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  const fixed = value.toFixed(digits)
  const [whole, fraction] = fixed.split('.')
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction ? `${grouped}.${fraction}` : grouped
}

function formatCell(value: CellValue | undefined, digits: number): string {
  if (value === null || value === undefined) return '–'
  return typeof value === 'number' ? formatNumber(value, digits) : value
}

/** Accord's value divided by the best peer's (lowest or highest), or null when either is missing. */
export function ratioToBestPeer(row: MetricRow): number | null {
  const ours = row.values.accord
  if (!row.better || typeof ours !== 'number') return null
  const peers = PEERS.filter((p) => p !== 'accord')
    .map((p) => row.values[p])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (peers.length === 0) return null
  const best = row.better === 'lower' ? Math.min(...peers) : Math.max(...peers)
  if (best === 0) return null
  return ours / best
}

function ratioText(row: MetricRow): string {
  const ratio = ratioToBestPeer(row)
  if (ratio === null) return '–'
  const better = row.better === 'lower' ? ratio < 1 : ratio > 1
  const verdict = Math.abs(ratio - 1) < 0.05 ? 'same' : better ? 'better' : 'worse'
  return `${ratio.toFixed(2)}× (${verdict})`
}

function floorText(row: MetricRow): string {
  const ratio = ratioToFloor(row)
  return ratio === null ? '–' : `${ratio.toFixed(2)}×`
}

function renderPlain(table: PlainTable): string {
  const lines = [
    `**${table.title}**`,
    '',
    `| ${table.header.join(' | ')} |`,
    `|${table.header.map(() => ' --- ').join('|')}|`,
  ]
  for (const row of table.cells) lines.push(`| ${row.join(' | ')} |`)
  for (const note of table.notes ?? []) lines.push('', `_${note}_`)
  return lines.join('\n')
}

/** Accord's value divided by the floor's (the bare forwarder, where measured). */
export function ratioToFloor(row: MetricRow): number | null {
  const ours = row.values.accord
  const floor = row.values[FLOOR]
  if (!row.better || typeof ours !== 'number' || typeof floor !== 'number' || floor === 0) return null
  return ours / floor
}

export function renderTable(table: Table): string {
  if ('cells' in table) return renderPlain(table)
  const hasTarget = table.rows.some((r) => r.target)
  const hasFloor = table.rows.some((r) => r.values[FLOOR] !== undefined && r.values[FLOOR] !== null)
  const columns: PeerKind[] = hasFloor ? [...PEERS, FLOOR] : [...PEERS]
  const header = [
    '',
    ...columns.map((p) => PEER_LABELS[p]),
    'Accord ÷ best peer',
    ...(hasFloor ? ['Accord ÷ floor'] : []),
    ...(hasTarget ? ['target'] : []),
  ]
  const lines = [
    `**${table.title}**`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
  ]
  for (const row of table.rows) {
    const cells = [
      row.label,
      ...columns.map((p) => formatCell(row.values[p], row.digits ?? 1)),
      ratioText(row),
      ...(hasFloor ? [floorText(row)] : []),
      ...(hasTarget ? [row.target ? `${row.target.text}: ${metText(row.target.met)}` : ''] : []),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  for (const note of table.notes ?? []) lines.push('', `_${note}_`)
  return lines.join('\n')
}

function metText(met: boolean | null): string {
  if (met === null) return 'not measured'
  return met ? '**met**' : '**not met**'
}

export function renderScenario(report: ScenarioReport): string {
  const parts = [`### ${report.title}`, '']
  for (const table of report.tables) parts.push(renderTable(table), '')
  for (const note of report.notes) parts.push(`- ${note}`)
  return parts.join('\n').trimEnd()
}

/** The rows as plain data, with the computed ratio, for the JSON file. */
export function tableData(table: Table) {
  if ('cells' in table) return table
  return {
    title: table.title,
    notes: table.notes ?? [],
    rows: table.rows.map((row) => {
      const toFloor = ratioToFloor(row)
      return {
        ...row,
        ratioToBestPeer: ratioToBestPeer(row),
        ...(toFloor !== null ? { ratioToFloor: toFloor } : {}),
      }
    }),
  }
}
