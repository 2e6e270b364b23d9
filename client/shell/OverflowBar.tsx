import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useFittingItems } from './useFittingItems.ts'

export interface BarItem {
  key: string
  node: ReactNode
}

interface Props {
  /** In the order they are shown. */
  items: readonly BarItem[]
  /** Keys in the order items keep their place in the row when it is too narrow (the most needed first). */
  keepFirst: readonly string[]
  /** Names the menu button for assistive technology: "More: people, progress". */
  menuLabel?: string
}

/**
 * A row that never wraps: the items that do not fit (the least needed first, see `keepFirst`) move into a "More"
 * disclosure. Only the
 * items that moved are in the menu, each exactly once in the page. The button says how many it holds, Escape closes
 * the menu and returns to the button, and a click or focus outside closes it.
 */
export function OverflowBar({ items, keepFirst, menuLabel = 'More' }: Props) {
  const bar = useRef<HTMLDivElement>(null)
  const present = new Set(items.map((item) => item.key))
  const order = keepFirst.filter((key) => present.has(key))
  const moved = useFittingItems(bar, order)
  const inline = items.filter((item) => !moved.has(item.key))
  const inMenu = items.filter((item) => moved.has(item.key))

  return (
    <div className="overflow-bar" ref={bar}>
      <div className="overflow-row" data-fit-row="">
        {inline.map((item) => (
          <div key={item.key} className="overflow-item" data-fit-key={item.key}>
            {item.node}
          </div>
        ))}
      </div>
      {inMenu.length > 0 && <MoreMenu items={inMenu} label={menuLabel} />}
    </div>
  )
}

function MoreMenu({ items, label }: { items: readonly BarItem[]; label: string }) {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const box = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const outside = (event: Event) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', outside)
    document.addEventListener('focusin', outside)
    return () => {
      document.removeEventListener('pointerdown', outside)
      document.removeEventListener('focusin', outside)
    }
  }, [open])

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a container listening to its children's Escape
    <div
      className="overflow-more"
      data-fit-more=""
      ref={box}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open || event.defaultPrevented) return
        event.preventDefault()
        setOpen(false)
        button.current?.focus()
      }}
    >
      <button
        type="button"
        className="button small overflow-button"
        ref={button}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((shown) => !shown)}
      >
        <span aria-hidden="true">⋯ </span>
        {label}
        <span className="overflow-count" aria-hidden="true">
          {items.length}
        </span>
        <span className="visually-hidden">
          {`: ${items.length} ${items.length === 1 ? 'item' : 'items'} that do not fit`}
        </span>
      </button>
      <div id={panelId} className="overflow-panel" hidden={!open} data-testid="overflow-panel">
        <ul>
          {items.map((item) => (
            <li key={item.key} data-fit-key={item.key}>
              {item.node}
            </li>
          ))}
        </ul>
      </div>
    </div>
  )
}
