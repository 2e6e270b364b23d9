/**
 * Lines the margin's threads up with their anchors: each thread moves down to the height of its anchored text
 * when the threads above leave room, and stacks right under them otherwise. Measured again when the text changes
 * (a remote edit moves anchors) and when the window is resized (`version`, from useDocVersion).
 */
import type { Editor } from '@tiptap/core'
import { type RefObject, useLayoutEffect } from 'react'

export function useAnchorAlignment(
  list: RefObject<HTMLElement | null>,
  editor: Editor | null,
  positions: ReadonlyMap<string, number>,
  version: number,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a new measurement
  useLayoutEffect(() => {
    const root = list.current
    if (!root || !editor || editor.isDestroyed) return
    const items = [...root.querySelectorAll<HTMLElement>(':scope > li[data-thread-id]')]
    // Measuring forces a layout of the whole text: not when there is nothing to line up.
    if (items.length === 0) return
    for (const item of items) item.style.marginTop = ''
    let bottom = root.getBoundingClientRect().top
    for (const item of items) {
      const pos = positions.get(item.dataset.threadId ?? '')
      let wanted = 0
      if (pos !== undefined) {
        try {
          wanted = editor.view.coordsAtPos(pos).top - bottom
        } catch {
          wanted = 0
        }
      }
      const gap = Math.max(0, Math.min(wanted, 4000))
      item.style.marginTop = gap ? `${gap}px` : ''
      bottom = item.getBoundingClientRect().bottom
    }
  }, [list, editor, positions, version])
}
