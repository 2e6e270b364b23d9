import { type RefObject, useEffect, useRef, useState } from 'react'

/**
 * Which items of a one-line bar go into its menu so that the rest fit. The bar holds a row of items (each inline
 * item carries its key as `data-fit-key`) and, when anything moved, the menu button (`data-fit-more`). Items are
 * kept most important first (`keepFirst`) while they fit; one too wide for the space left moves, and a smaller, less
 * important one may still stay.
 *
 * Widths are those the items had inline (an item in the menu keeps the width it last had in the row; a new item
 * starts inline, so it is measured). Measured in a ResizeObserver, never during React's render or layout effects:
 * the editor header re-renders on keystrokes and must not force a layout each time. The result is applied in the
 * next animation frame, so the browser reports no resize loop.
 */
export function useFittingItems(
  bar: RefObject<HTMLElement | null>,
  keepFirst: readonly string[],
): Set<string> {
  const [moved, setMoved] = useState<readonly string[]>([])
  const widths = useRef(new Map<string, number>())
  const moreWidth = useRef(0)
  const orderKey = keepFirst.join('\u0000')
  const movedKey = moved.join('\u0000')

  useEffect(() => {
    const box = bar.current
    const row = box?.querySelector<HTMLElement>('[data-fit-row]')
    if (!box || !row) return
    let frame = 0
    const measure = () => {
      frame = 0
      for (const item of Array.from(row.querySelectorAll<HTMLElement>(':scope > [data-fit-key]')))
        widths.current.set(item.dataset.fitKey!, item.getBoundingClientRect().width)
      const more = box.querySelector<HTMLElement>(':scope > [data-fit-more]')
      if (more) moreWidth.current = more.getBoundingClientRect().width
      const gap = Number.parseFloat(getComputedStyle(row).columnGap) || 0
      const barGap = Number.parseFloat(getComputedStyle(box).columnGap) || 0
      const next = choose(
        orderKey.split('\u0000').filter(Boolean),
        widths.current,
        gap,
        box.clientWidth,
        moreWidth.current + barGap,
      )
      if (next.join('\u0000') !== movedKey) setMoved(next)
    }
    const observer = new ResizeObserver(() => {
      if (!frame) frame = requestAnimationFrame(measure)
    })
    observer.observe(box)
    for (const item of Array.from(row.children)) observer.observe(item)
    return () => {
      observer.disconnect()
      if (frame) cancelAnimationFrame(frame)
    }
  }, [bar, orderKey, movedKey])

  return new Set(moved)
}

/** The keys that move: none when all fit; otherwise, room kept for the menu button, the ones that do not fit. */
export function choose(
  keepFirst: readonly string[],
  widths: ReadonlyMap<string, number>,
  gap: number,
  available: number,
  menuButton: number,
): string[] {
  const width = (key: string) => widths.get(key) ?? 0
  const all = keepFirst.reduce((sum, key, index) => sum + width(key) + (index > 0 ? gap : 0), 0)
  if (all <= available + 0.5) return []
  const room = available - menuButton
  let used = 0
  let kept = 0
  const moved: string[] = []
  for (const key of keepFirst) {
    const needed = width(key) + (kept > 0 ? gap : 0)
    if (used + needed <= room + 0.5) {
      used += needed
      kept++
    } else moved.push(key)
  }
  return moved
}
