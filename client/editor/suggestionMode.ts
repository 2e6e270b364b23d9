/**
 * Suggestion mode (SYNC.md §7): while it is on, typing, Backspace, Delete and paste are handed to a handler that
 * makes suggestions of them, and every other change to the document (formatting, Enter, cut, drop, undo) is
 * stopped, so nothing the user does reaches the shared document: a participant's update would be refused by the
 * server, which ends the replica. Changes that come from the replica (other people's edits) pass.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'

export interface SuggestedEdit {
  from: number
  to: number
  text: string
  reach?: 'backward' | 'forward'
}

export type SuggestionHandler = (edit: SuggestedEdit) => void

const suggestionModeKey = new PluginKey<SuggestionHandler | null>('accordSuggestionMode')

/** Turns suggestion mode on (with the handler that receives the edits) or off (null). */
export function setSuggestionHandler(view: EditorView, handler: SuggestionHandler | null): void {
  view.dispatch(view.state.tr.setMeta(suggestionModeKey, { handler }))
}

function handlerOf(view: EditorView): SuggestionHandler | null {
  return suggestionModeKey.getState(view.state) ?? null
}

/** Typing the browser would put into the page itself: taken here, before it touches the page. */
const TYPING = new Set(['insertText'])

export const SuggestionMode = Extension.create({
  name: 'accordSuggestionMode',
  // Before every other extension's keys: in suggestion mode no command may change the text.
  priority: 1000,
  addProseMirrorPlugins() {
    return [
      new Plugin<SuggestionHandler | null>({
        key: suggestionModeKey,
        state: {
          init: () => null,
          apply(tr, handler) {
            const meta = tr.getMeta(suggestionModeKey) as { handler: SuggestionHandler | null } | undefined
            return meta ? meta.handler : handler
          },
        },
        filterTransaction(tr, state) {
          if (!tr.docChanged || !suggestionModeKey.getState(state)) return true
          const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
          return !!sync?.isChangeOrigin
        },
        props: {
          handleTextInput(view, from, to, text) {
            const handler = handlerOf(view)
            if (!handler) return false
            handler({ from, to, text })
            return true
          },
          handleKeyDown(view, event) {
            const handler = handlerOf(view)
            if (!handler) return false
            const { from, to, empty } = view.state.selection
            if (event.key === 'Backspace' || event.key === 'Delete') {
              const reach = event.key === 'Backspace' ? 'backward' : 'forward'
              handler(empty ? { from, to, text: '', reach } : { from, to, text: '' })
              return true
            }
            // Enter, Tab and shortcuts would change the document's structure or formatting.
            if (event.key === 'Enter') return true
            const mod = event.ctrlKey || event.metaKey
            return mod && ['z', 'y', 'b', 'i', 'u', 'x'].includes(event.key.toLowerCase())
          },
          handlePaste(view, _event, slice) {
            const handler = handlerOf(view)
            if (!handler) return false
            const text = slice.content.textBetween(0, slice.content.size, ' ', ' ').replace(/\s+/g, ' ')
            const { from, to } = view.state.selection
            if (text) handler({ from, to, text })
            return true
          },
          handleDrop: (view) => !!handlerOf(view),
          handleDOMEvents: {
            beforeinput(view, event) {
              const handler = handlerOf(view)
              // An input method's composition cannot be cancelled; its result arrives as handleTextInput.
              if (!handler || event.inputType === 'insertCompositionText') return false
              event.preventDefault()
              const text = event.data ?? event.dataTransfer?.getData('text/plain') ?? ''
              if (TYPING.has(event.inputType) && text) {
                const { from, to } = view.state.selection
                handler({ from, to, text })
              }
              return true
            },
            cut(view, event) {
              if (!handlerOf(view)) return false
              event.preventDefault()
              return true
            },
          },
        },
      }),
    ]
  },
})
