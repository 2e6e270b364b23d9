/**
 * "Follow": while on (the default in an open meeting), the clause under discussion is brought into sight, found by
 * its clause id (never by pixels), and only when it is off screen; the caret and selection are never touched
 * (scrolling the window moves the viewport, not the editor's selection). Any key press, click, wheel or touch scroll by
 * the user turns following off (Escape too); events inside the meeting bar itself do not.
 */
import { useCallback, useEffect, useRef, useState } from 'react'

/** The clause's element in the editor, by the `data-clause-id` its node renders. */
export function clauseElement(root: ParentNode, sectionId: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`section[data-clause-id="${CSS.escape(sectionId)}"]`)
}

/** True when some of the element's first lines are on screen (below the sticky header). */
export function onScreen(element: HTMLElement, headerHeight: number): boolean {
  const rect = element.getBoundingClientRect()
  const top = Math.max(rect.top, headerHeight)
  return top < window.innerHeight - 40 && rect.bottom > headerHeight + 40
}

export function useFollow(options: {
  active: boolean
  sectionId: string | null
  root: () => ParentNode | null
  /** Events inside it (the meeting bar) never turn following off. */
  ignoreInside: () => HTMLElement | null
  onChange?: (following: boolean) => void
}) {
  const [following, setFollowing] = useState(true)
  const onChange = useRef(options.onChange)
  onChange.current = options.onChange
  const set = useCallback((next: boolean) => {
    setFollowing((before) => {
      if (before !== next) onChange.current?.(next)
      return next
    })
  }, [])

  // The user takes over: any key, click or scroll of theirs.
  const { active, ignoreInside } = options
  useEffect(() => {
    if (!active) return
    const stop = (event: Event) => {
      const inside = ignoreInside()
      if (inside && event.target instanceof Node && inside.contains(event.target)) return
      set(false)
    }
    const kinds = ['keydown', 'pointerdown', 'wheel', 'touchmove'] as const
    for (const kind of kinds) window.addEventListener(kind, stop, { capture: true, passive: true })
    return () => {
      for (const kind of kinds) window.removeEventListener(kind, stop, { capture: true })
    }
  }, [active, ignoreInside, set])

  // Bring the clause into sight when it changes, or when following resumes.
  const { sectionId, root } = options
  useEffect(() => {
    if (!active || !following || !sectionId) return
    const container = root()
    const element = container ? clauseElement(container, sectionId) : null
    if (!element) return
    const header = document.querySelector('.editor-header')?.getBoundingClientRect().bottom ?? 0
    const top = Math.max(0, header)
    if (!onScreen(element, top))
      window.scrollTo({
        top: window.scrollY + element.getBoundingClientRect().top - top - 16,
        behavior: 'auto',
      })
  }, [active, following, sectionId, root])

  return { following, setFollowing: set }
}
