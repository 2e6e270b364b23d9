/**
 * The editor's Export menu: a disclosure (keyboard: Tab to it, Enter to open) with one download link per format
 * and the agreed-only option. Shown only when the server's abilities say the user may export.
 */
import { useId, useState } from 'react'
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/api/export.ts'
import './exportMenu.css'

const LABELS: Record<ExportFormat, string> = {
  docx: 'Word (.docx)',
  pdf: 'PDF',
  html: 'Web page (.html)',
  md: 'Markdown (.md)',
}

export function exportHref(deliverableId: string, format: ExportFormat, agreedOnly: boolean): string {
  const query = new URLSearchParams({ format })
  if (agreedOnly) query.set('agreedOnly', 'true')
  return `/api/deliverables/${encodeURIComponent(deliverableId)}/export?${query}`
}

export function ExportMenu({ deliverableId }: { deliverableId: string }) {
  const [agreedOnly, setAgreedOnly] = useState(false)
  const optionId = useId()
  return (
    <details className="export-menu">
      <summary className="button small">Export</summary>
      <div className="export-menu-panel">
        <ul aria-label="Export formats">
          {EXPORT_FORMATS.map((format) => (
            <li key={format}>
              <a href={exportHref(deliverableId, format, agreedOnly)} download>
                {LABELS[format]}
              </a>
            </li>
          ))}
        </ul>
        <label htmlFor={optionId} className="export-option">
          <input
            id={optionId}
            type="checkbox"
            checked={agreedOnly}
            onChange={(e) => setAgreedOnly(e.target.checked)}
          />
          Agreed clauses only
        </label>
      </div>
    </details>
  )
}
