/**
 * Says why the editor did nothing, at the moment it did nothing: a keystroke in an agreed clause, a button that
 * cannot act where the caret is, a reader who types. Visibly, in a small note under the caret, and in the app's
 * polite live region, once per burst: holding a key or typing a word in a locked clause says it once, not per
 * character; the same refusal after a pause of `BURST_MS` is said again.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

export interface RefusalNoticeOptions {
  /** The app's live region. */
  notify: (message: string) => void
}

/** A refusal this soon after the last one (the same message) belongs to the same burst. */
export const BURST_MS = 2000
/** How long the note stays on screen after the last refusal. */
const SHOWN_MS = 6000

export const READ_ONLY_REFUSAL =
  'Read only: you can read this text but not change it. Only its editors and the group’s chairs can.'

/** True for a burst's first refusal: a new message, or the same one after a pause. */
export function startsBurst(
  last: { message: string; at: number } | null,
  message: string,
  now: number,
): boolean {
  return !last || last.message !== message || now - last.at > BURST_MS
}

class Notice {
  private readonly element: HTMLParagraphElement
  private last: { message: string; at: number } | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly view: EditorView,
    private readonly notify: (message: string) => void,
  ) {
    this.element = document.createElement('p')
    this.element.className = 'refusal-notice'
    this.element.dataset.testid = 'refusal-notice'
    this.element.hidden = true
    view.dom.after(this.element)
  }

  explain(message: string): void {
    const now = Date.now()
    const fresh = startsBurst(this.last, message, now)
    this.last = { message, at: now }
    if (fresh) this.notify(message)
    this.element.textContent = message
    this.element.hidden = false
    this.place()
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.hide(), SHOWN_MS)
  }

  /** Just under the caret (or the top of the text when the caret has no place on screen). */
  private place(): void {
    const { view, element } = this
    let left: number
    let top: number
    try {
      const coords = view.coordsAtPos(view.state.selection.head)
      left = coords.left
      top = coords.bottom + 6
    } catch {
      const box = view.dom.getBoundingClientRect()
      left = box.left + 16
      top = Math.max(box.top, 0) + 16
    }
    const width = Math.min(element.offsetWidth || 320, window.innerWidth - 16)
    element.style.left = `${Math.max(8, Math.min(left - 12, window.innerWidth - width - 8))}px`
    // A caret scrolled out of view still gets its note on screen, at the nearest edge.
    element.style.top = `${Math.max(8, Math.min(top, window.innerHeight - element.offsetHeight - 8))}px`
  }

  hide(): void {
    clearTimeout(this.timer)
    this.element.hidden = true
  }

  destroy(): void {
    this.hide()
    this.element.remove()
  }
}

const notices = new WeakMap<EditorView, Notice>()

/** Tells the user why what they just tried did nothing (no-op when the editor has no notice, as in tests). */
export function explainRefusal(view: EditorView, message: string): void {
  notices.get(view)?.explain(message)
}

/** Keys that would change the text: characters, deletion, Enter, cut and paste. Not moves, not copy. */
export function changesText(event: KeyboardEvent): boolean {
  if (event.isComposing) return false
  const command = event.ctrlKey || event.metaKey
  if (command) return ['x', 'v', 'b', 'i', 'u'].includes(event.key.toLowerCase())
  if (event.altKey) return false
  return event.key.length === 1 || ['Backspace', 'Delete', 'Enter'].includes(event.key)
}

export const RefusalNotice = Extension.create<RefusalNoticeOptions>({
  name: 'accordRefusalNotice',
  addOptions() {
    return { notify: () => undefined }
  },
  addProseMirrorPlugins() {
    const { notify } = this.options
    return [
      new Plugin({
        key: new PluginKey('accordRefusalNotice'),
        view: (view) => {
          notices.set(view, new Notice(view, notify))
          // Written only when it changes: the view asks after every transaction, and each write is a DOM change.
          const describeReadOnly = () => {
            const readOnly = String(!view.editable)
            if (view.dom.getAttribute('aria-readonly') !== readOnly)
              view.dom.setAttribute('aria-readonly', readOnly)
          }
          describeReadOnly()
          return {
            update: describeReadOnly,
            destroy: () => {
              notices.get(view)?.destroy()
              notices.delete(view)
            },
          }
        },
        props: {
          // A reader can focus the text (to read it by keyboard, and to be told why typing does nothing).
          attributes: { tabindex: '0' },
          handleDOMEvents: {
            // Runs for readers too: ProseMirror leaves key handling to the browser when the text is not editable.
            keydown: (view, event) => {
              if (view.editable || !changesText(event)) return false
              explainRefusal(view, READ_ONLY_REFUSAL)
              return false
            },
          },
        },
      }),
    ]
  },
})
