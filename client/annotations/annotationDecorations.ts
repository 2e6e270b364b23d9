/**
 * Comments and suggestions drawn in the text without touching it (SYNC.md §7): anchored text of open threads
 * highlighted, open suggestions' replaced text struck through (`del`) and their proposed text as a widget (`ins`) in
 * the author's colour, each with author and time in its title; the suggestion being typed is drawn the same way,
 * marked as not sent yet. Everything is recomputed from the anchors when the document or the annotations change.
 */
import { Extension } from '@tiptap/core'
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { presenceColor } from '../collab/colors.ts'
import { formatWhen } from '../consensus/formatWhen.ts'
import { inlineDecoration, reuseDecorations } from '../editor/decorationReuse.ts'
import { rangeOfAnchor } from './editorAnchors.ts'
import type { SuggestionDraft } from './suggestionDrafts.ts'

export interface Author {
  name: string
  color?: string | undefined
}

export interface AnnotationView {
  comments: readonly PresentedComment[]
  suggestions: readonly PresentedSuggestion[]
  draft: SuggestionDraft | null
  activeThreadId: string | null
  authorOf: (userId: string) => Author
}

const EMPTY: AnnotationView = {
  comments: [],
  suggestions: [],
  draft: null,
  activeThreadId: null,
  authorOf: () => ({ name: 'Someone' }),
}

export const annotationKey = new PluginKey<PluginState>('accordAnnotations')

function insertionWidget(text: string, title: string, color: string, pending: boolean): () => HTMLElement {
  return () => {
    const ins = document.createElement('ins')
    ins.className = pending ? 'suggestion-insertion pending' : 'suggestion-insertion'
    ins.style.setProperty('--author-color', color)
    ins.title = title
    ins.textContent = text
    return ins
  }
}

function decorate(state: EditorState, view: AnnotationView): Decoration[] {
  const decorations: Decoration[] = []
  const size = state.doc.content.size
  const inDoc = (from: number, to: number) => from >= 0 && to <= size
  for (const comment of view.comments) {
    if (!comment.anchor || comment.replyTo || comment.resolved || comment.removed) continue
    const range = rangeOfAnchor(state, comment.anchor)
    if (!range || range.from === range.to || !inDoc(range.from, range.to)) continue
    const active = comment.id === view.activeThreadId
    decorations.push(
      inlineDecoration(range.from, range.to, {
        class: active ? 'comment-highlight active' : 'comment-highlight',
        'data-comment-id': comment.id,
      }),
    )
  }
  const suggestionMarks = (
    range: { from: number; to: number },
    replacement: string,
    author: Author,
    at: string,
    pending: boolean,
    key: string,
  ) => {
    const by = `${pending ? 'Your suggestion, not sent yet' : `Suggested by ${author.name}, ${at}`}`
    if (range.from < range.to)
      decorations.push(
        inlineDecoration(range.from, range.to, {
          nodeName: 'del',
          class: pending ? 'suggestion-deletion pending' : 'suggestion-deletion',
          title: replacement ? `${by}: replace` : `${by}: delete`,
        }),
      )
    if (replacement) {
      const color = presenceColor(author.color)
      decorations.push(
        Decoration.widget(range.to, insertionWidget(replacement, `${by}: insert`, color, pending), {
          side: 1,
          // All the widget shows: ProseMirror keeps a widget's DOM while its key is the same.
          key: `${key}:${replacement}:${by}:${color}`,
          ignoreSelection: true,
        }),
      )
      // The character after the widget in a span of its own: ProseMirror redraws a widget that touches the text
      // node being typed into, so without it every keystroke further on in the paragraph redrew the widget (a
      // second layout per key).
      const $after = state.doc.resolve(range.to)
      if ($after.nodeAfter?.isText)
        decorations.push(inlineDecoration(range.to, range.to + 1, { class: 'suggestion-boundary' }))
    }
  }
  for (const suggestion of view.suggestions) {
    if (suggestion.status !== 'open' || suggestion.removed || suggestion.id === view.draft?.grows) continue
    const range = rangeOfAnchor(state, suggestion.anchor)
    if (!range || !inDoc(range.from, range.to)) continue
    const author = view.authorOf(suggestion.authorId)
    suggestionMarks(
      range,
      suggestion.replacement,
      author,
      formatWhen(suggestion.createdAt),
      false,
      suggestion.id,
    )
  }
  if (view.draft) {
    const range = rangeOfAnchor(state, view.draft.anchor)
    if (range && inDoc(range.from, range.to))
      suggestionMarks(range, view.draft.replacement, view.authorOf(view.draft.authorId), '', true, 'draft')
  }
  return decorations
}

export function setAnnotationView(editorView: EditorView, view: AnnotationView): void {
  editorView.dispatch(editorView.state.tr.setMeta(annotationKey, view))
}

export function annotationViewOf(state: EditorState): AnnotationView {
  return annotationKey.getState(state)?.view ?? EMPTY
}

/**
 * Above this many anchored comments and suggestions, an edit moves the drawn highlights along with the text
 * (mapping, as cheap as the edit) and they are computed again from their anchors once the typing pauses: resolving
 * thousands of anchors on every keystroke would cost more than the keystroke itself.
 */
export const MAPPED_ABOVE = 150
const RECOMPUTE_AFTER_MS = 300

/** Counted once per annotation view (asked on every keystroke). */
const anchoredCounts = new WeakMap<AnnotationView, number>()
function anchoredCount(view: AnnotationView): number {
  let count = anchoredCounts.get(view)
  if (count === undefined) {
    count =
      view.comments.reduce((n, c) => n + (c.anchor && !c.replyTo && !c.resolved ? 1 : 0), 0) +
      view.suggestions.reduce((n, s) => n + (s.status === 'open' ? 1 : 0), 0)
    anchoredCounts.set(view, count)
  }
  return count
}

interface PluginState {
  view: AnnotationView
  decorations: DecorationSet
  /** Mapped since last computed from the anchors: to be computed again when the typing pauses. */
  stale: boolean
}

export const AnnotationDecorations = Extension.create({
  name: 'accordAnnotations',
  addProseMirrorPlugins() {
    return [
      new Plugin<PluginState>({
        key: annotationKey,
        state: {
          init: () => ({ view: EMPTY, decorations: DecorationSet.empty, stale: false }),
          apply(tr, previous, _old, state) {
            // Highlights that stay where they were stay the same objects (see decorationReuse).
            const redraw = (view: AnnotationView): PluginState => ({
              view,
              decorations: reuseDecorations(
                previous.decorations,
                tr.mapping,
                state.doc,
                decorate(state, view),
              ),
              stale: false,
            })
            const next = tr.getMeta(annotationKey) as AnnotationView | undefined
            if (next) return redraw(next)
            if (!tr.docChanged) return previous
            if (anchoredCount(previous.view) <= MAPPED_ABOVE) return redraw(previous.view)
            return { ...previous, decorations: previous.decorations.map(tr.mapping, tr.doc), stale: true }
          },
        },
        props: {
          decorations: (state) => annotationKey.getState(state)?.decorations ?? null,
        },
        view: () => {
          let timer: ReturnType<typeof setTimeout> | undefined
          return {
            update(view) {
              if (!annotationKey.getState(view.state)?.stale) return
              clearTimeout(timer)
              timer = setTimeout(() => {
                const current = annotationKey.getState(view.state)
                if (!view.isDestroyed && current?.stale) setAnnotationView(view, current.view)
              }, RECOMPUTE_AFTER_MS)
            },
            destroy: () => clearTimeout(timer),
          }
        },
      }),
    ]
  },
})
