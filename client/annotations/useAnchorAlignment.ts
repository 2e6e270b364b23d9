/**
 * Lines the margin's threads up with their anchors: each thread moves down to the height of its anchored text
 * when the threads above leave room, and stacks right under them otherwise. Measured again when the text changes
 * (a remote edit moves anchors) and when the window is resized (`version`, from useDocVersion).
 *
 * Everything is read in one layout and written at once: the threads' margins are cleared, their natural places and
 * the anchors' heights are read, the new margins are computed (a thread's height does not depend on its margin),
 * then written. Setting each margin and reading the next thread's place in turn laid the page out once per thread:
 * with 100 threads on the 120,000-word deliverable that was 74 ms at opening and again each time the typing paused.
 *
 * A thread out of view is not laid out (annotations.css): its height is its last one, or a guess before it was ever
 * shown. When a thread's height changes (first shown, a reply added, its text edited), the threads are lined up
 * again in the next frame.
 *
 * Nor is a clause of the text out of view (document.css): an anchor in one is placed at the clause's top, since
 * measuring its line would lay the clause out (100 threads on clauses out of view: one layout each, 20 ms at
 * opening). When a clause comes into view or leaves it, the threads are lined up again in the next frame.
 */
import type { Editor } from '@tiptap/core'
import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react'

export function useAnchorAlignment(
  list: RefObject<HTMLElement | null>,
  editor: Editor | null,
  positions: ReadonlyMap<string, number>,
  version: number,
): void {
  const align = () => {
    const root = list.current
    if (!root || !editor || editor.isDestroyed) return
    const items = threadItems(root)
    // Measuring forces a layout of the whole text: not when there is nothing to line up.
    if (items.length === 0) return
    for (const item of items) item.style.marginTop = ''
    const top = root.getBoundingClientRect().top
    const boxes = items.map((item) => item.getBoundingClientRect())
    const anchors = items.map((item) => anchorTop(editor, positions.get(item.dataset.threadId ?? '')))
    const margins = stackedMargins(top, boxes, anchors)
    items.forEach((item, i) => {
      const gap = margins[i] ?? 0
      item.style.marginTop = gap ? `${gap}px` : ''
    })
  }
  const alignRef = useRef(align)
  alignRef.current = align

  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a new measurement
  useLayoutEffect(() => alignRef.current(), [list, editor, positions, version])

  // The threads shown change with `positions`: observe the heights of the current ones.
  // biome-ignore lint/correctness/useExhaustiveDependencies: positions changes with the threads shown
  useEffect(() => {
    const root = list.current
    if (!root || typeof ResizeObserver === 'undefined') return
    const heights = new WeakMap<Element, number>()
    let frame = 0
    const again = () => {
      if (frame) return
      frame = requestAnimationFrame(() => {
        frame = 0
        alignRef.current()
      })
    }
    const observer = new ResizeObserver((entries) => {
      let changed = false
      for (const entry of entries) {
        const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height
        const before = heights.get(entry.target)
        heights.set(entry.target, height)
        // The first report of each thread is its height as just measured, not a change.
        if (before !== undefined && Math.abs(before - height) > 0.5) changed = true
      }
      if (changed) again()
    })
    for (const item of threadItems(root)) observer.observe(item)
    // Not a bubbling event: listened to on its way down.
    const text = editor && !editor.isDestroyed ? editor.view.dom : null
    text?.addEventListener('contentvisibilityautostatechange', again, true)
    return () => {
      observer.disconnect()
      text?.removeEventListener('contentvisibilityautostatechange', again, true)
      cancelAnimationFrame(frame)
    }
  }, [list, editor, positions])
}

function threadItems(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(':scope > li[data-thread-id]')]
}

function anchorTop(editor: Editor, pos: number | undefined): number | null {
  if (pos === undefined) return null
  try {
    const shown = shownBoxAround(editor, pos)
    return shown ? shown.getBoundingClientRect().top : editor.view.coordsAtPos(pos).top
  } catch {
    return null
  }
}

/**
 * The element to measure instead of the position when the position's text is not laid out: the nearest
 * enclosing element whose contents the browser does not skip (the clause out of view). Null when the text is laid
 * out, or when the browser cannot tell (then the position is measured).
 */
function shownBoxAround(editor: Editor, pos: number): Element | null {
  const { node } = editor.view.domAtPos(pos)
  let element = node instanceof Element ? node : node.parentElement
  if (!element || typeof element.checkVisibility !== 'function') return null
  if (element.checkVisibility({ contentVisibilityAuto: true })) return null
  const root = editor.view.dom
  while (element && element !== root && !element.checkVisibility({ contentVisibilityAuto: true }))
    element = element.parentElement
  return element && element !== root ? element : null
}

/**
 * Each thread's top margin (0: its stylesheet margin), from the list's top, the threads' boxes laid out with their
 * stylesheet margins, and the heights their anchors are at (null: no anchor, stack under the thread above).
 */
export function stackedMargins(
  listTop: number,
  boxes: readonly { top: number; bottom: number }[],
  anchors: readonly (number | null)[],
): number[] {
  const margins: number[] = []
  let bottom = listTop
  let naturalBottom = listTop
  boxes.forEach((box, i) => {
    const naturalGap = box.top - naturalBottom
    const height = box.bottom - box.top
    const wanted = anchors[i] === null || anchors[i] === undefined ? 0 : anchors[i] - bottom
    const gap = Math.max(0, Math.min(wanted, 4000))
    margins.push(gap)
    bottom += (gap ? gap : naturalGap) + height
    naturalBottom = box.bottom
  })
  return margins
}
