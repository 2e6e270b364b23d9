/**
 * The local caret is brought into view once the frame is drawn, not in the middle of the keystroke. ProseMirror
 * scrolls the selection into view after every transaction that asks for it (every key typed does); to know whether
 * it must, it measures the caret (`coordsAtPos` → `getClientRects`), which forces a layout of the page before the
 * plugin views and React have changed it, so the frame lays the page out a second time. On the 120,000-word
 * deliverable with 2,000 comments and 500 suggestions that forced layout was 190 ms of 1.1 s of script over 100
 * keys (`npx tsx bench/editor/manyComments.ts --profile`). Here the check runs after the frame, when the layout is
 * clean and measuring is cheap, and ProseMirror's own scroll runs only when the caret is out of view: at most a
 * frame later, which the eye does not see.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

/** ProseMirror's default scroll margin, in pixels. */
const MARGIN = 5

const scrollAfterFrameKey = new PluginKey('scrollAfterFrame')

export const ScrollAfterFrame = Extension.create({
  name: 'scrollAfterFrame',
  addProseMirrorPlugins() {
    let checking = false
    /** Set while this plugin asks ProseMirror to scroll: its default behaviour then runs. */
    let scrolling = false
    const checkAfterFrame = (view: EditorView) => {
      checking = false
      if (view.isDestroyed || caretInView(view)) return
      scrolling = true
      try {
        view.dispatch(view.state.tr.scrollIntoView().setMeta('addToHistory', false))
      } finally {
        scrolling = false
      }
    }
    return [
      new Plugin({
        key: scrollAfterFrameKey,
        props: {
          handleScrollToSelection(view) {
            if (scrolling) return false
            if (!checking) {
              checking = true
              // The animation frame runs before the frame is drawn; the task it posts runs after.
              requestAnimationFrame(() => setTimeout(() => checkAfterFrame(view), 0))
            }
            return true
          },
        },
      }),
    ]
  },
})

/** Whether the caret's line lies inside the window and every scrolling box around the editor. */
function caretInView(view: EditorView): boolean {
  let caret: { top: number; bottom: number; left: number; right: number }
  try {
    caret = view.coordsAtPos(view.state.selection.head)
  } catch {
    // No place to measure (the position is not drawn): nothing to scroll to.
    return true
  }
  const inside = (box: { top: number; bottom: number; left: number; right: number }) =>
    caret.top >= box.top + MARGIN &&
    caret.bottom <= box.bottom - MARGIN &&
    caret.left >= box.left &&
    caret.right <= box.right
  if (!inside({ top: 0, bottom: window.innerHeight, left: 0, right: window.innerWidth })) return false
  for (let box = view.dom.parentElement; box && box !== document.body; box = box.parentElement) {
    const { overflowX, overflowY } = getComputedStyle(box)
    const scrolls = /auto|scroll/.test(overflowY) || /auto|scroll/.test(overflowX)
    if (scrolls && !inside(box.getBoundingClientRect())) return false
  }
  return true
}
