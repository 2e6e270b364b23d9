import { type ReactNode, type RefObject, useCallback, useEffect, useRef, useState } from 'react'

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const list = window.matchMedia(query)
    const update = () => setMatches(list.matches)
    update()
    list.addEventListener('change', update)
    return () => list.removeEventListener('change', update)
  }, [query])
  return matches
}

export interface DrawerControl {
  id: string
  open: boolean
  toggle: () => void
  /** Opens it when it is a drawer now (on a wide screen its content is in view already). */
  show: () => void
  /** Closes; `returnFocus` puts the keyboard back on the button that opened it. */
  close: (returnFocus: boolean) => void
  button: RefObject<HTMLButtonElement | null>
}

/**
 * The open state of one drawer, which is a drawer only while `query` matches (layout.css says the same widths); it
 * closes when the screen becomes wide enough for its column again.
 */
export function useDrawer(id: string, query: string): DrawerControl {
  const narrow = useMediaQuery(query)
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!narrow) setOpen(false)
  }, [narrow])
  const toggle = useCallback(() => setOpen((shown) => !shown), [])
  const show = useCallback(() => {
    if (narrow) setOpen(true)
  }, [narrow])
  const close = useCallback((returnFocus: boolean) => {
    setOpen(false)
    if (returnFocus) button.current?.focus()
  }, [])
  return { id, open, toggle, show, close, button }
}

/** The button that opens and closes a drawer; shown only on narrow screens (layout.css). */
export function DrawerToggle({ drawer, children }: { drawer: DrawerControl; children: ReactNode }) {
  return (
    <button
      type="button"
      ref={drawer.button}
      className={`button small drawer-toggle${drawer.open ? ' active' : ''}`}
      aria-expanded={drawer.open}
      aria-controls={drawer.id}
      onClick={drawer.toggle}
    >
      {children}
    </button>
  )
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex="0"]'

/**
 * On wide screens its content is simply a column of the layout (the wrapper takes no box). On narrow screens it is a
 * panel over the text while open and absent while closed. Opening moves the keyboard into it; Escape closes it and
 * returns to its button; moving the focus elsewhere on the page (to the text, say) closes it too.
 */
export function Drawer({
  drawer,
  side,
  closeOnActivate,
  children,
}: {
  drawer: DrawerControl
  side: 'start' | 'end'
  /** Elements (a CSS selector) whose activation is done with the drawer: choosing a clause in the outline. */
  closeOnActivate?: string
  children: ReactNode
}) {
  const box = useRef<HTMLDivElement>(null)
  const { open, close } = drawer
  const activated = (target: EventTarget) => {
    if (!open || !closeOnActivate || !(target instanceof Element) || !target.closest(closeOnActivate)) return
    // After the activation's own work (which may move the focus into the text): the keyboard goes back to the
    // drawer's button only if it would otherwise be left on the hidden drawer.
    requestAnimationFrame(() => close(!!box.current?.contains(document.activeElement)))
  }

  useEffect(() => {
    // A child that took the focus as it appeared (a form's first field) keeps it.
    if (!open || !box.current || box.current.contains(document.activeElement)) return
    const first = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE)).find(
      (element) => element.getClientRects().length > 0,
    )
    ;(first ?? box.current).focus()
  }, [open])

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a container listening to its children's Escape and focus
    <div
      id={drawer.id}
      ref={box}
      tabIndex={-1}
      className={`drawer drawer-${side}${open ? ' open' : ''}`}
      data-testid={drawer.id}
      onClick={(event) => activated(event.target)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') activated(event.target)
        // A form inside that handles Escape itself (cancel) prevents the default: the drawer stays.
        if (event.key !== 'Escape' || !open || event.defaultPrevented) return
        event.preventDefault()
        close(true)
      }}
      onBlur={(event) => {
        const next = event.relatedTarget as Node | null
        if (!open || !next || box.current?.contains(next) || drawer.button.current === next) return
        close(false)
      }}
    >
      {children}
    </div>
  )
}
