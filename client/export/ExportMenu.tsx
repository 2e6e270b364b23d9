/**
 * The editor's Export menu: a disclosure button (keyboard: Tab to it, Enter to open, Escape to close) with one
 * download link per format and the agreed-only option. Shown only when the server's abilities say the user may
 * export. The panel exists only while open, so that a closed menu takes no room in the one-line header.
 */
import { useId, useRef, useState } from 'react'
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/api/constants.ts'
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
  const [open, setOpen] = useState(false)
  const optionId = useId()
  const panelId = useId()
  const button = useRef<HTMLButtonElement>(null)
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the menu closes it
    <div
      className="export-menu"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return
        setOpen(false)
        button.current?.focus()
      }}
    >
      <button
        ref={button}
        type="button"
        className="button small"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        Export
      </button>
      {open && (
        <div id={panelId} className="export-menu-panel">
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
      )}
    </div>
  )
}
