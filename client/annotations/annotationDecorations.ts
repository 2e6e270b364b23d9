/**
 * Comments and suggestions drawn in the text without touching it (SYNC.md §7): anchored text of open threads
 * highlighted, open suggestions' replaced text struck through (`del`) and their proposed text as a widget (`ins`) in
 * the author's colour, each with author and time in its title; the suggestion being typed is drawn the same way,
 * marked as not sent yet. Everything is recomputed from the anchors when the document or the annotations change.
 */
import { Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { presenceColor } from '../collab/colors.ts'
import { formatWhen } from '../consensus/formatWhen.ts'
import { inlineDecoration, reuseDecorations } from '../editor/decorationReuse.ts'
import { debounce } from '../shell/debounce.ts'
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

/** Draws `view`; with `only`, just the annotations of those clauses (the draft always). */
function decorate(state: EditorState, view: AnnotationView, only: ReadonlySet<string> | null): Decoration[] {
  const decorations: Decoration[] = []
  const size = state.doc.content.size
  const inDoc = (from: number, to: number) => from >= 0 && to <= size
  const skipped = (sectionId: string) => only !== null && !only.has(sectionId)
  for (const comment of view.comments) {
    if (!comment.anchor || comment.replyTo || comment.resolved || comment.removed) continue
    if (skipped(comment.sectionId)) continue
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
    if (skipped(suggestion.sectionId)) continue
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

interface Drawing {
  view: AnnotationView
  /** Only these clauses' annotations, the rest to follow (see setAnnotationView); null: all. */
  only: ReadonlySet<string> | null
}

/**
 * Draws `view` in the editor. The first time many annotations are drawn (more than MAPPED_ABOVE, none before), the
 * clauses in view come first and the rest of the document in the next idle moment: drawing 2,000 highlights and
 * 500 suggestions over the 120,000-word deliverable at once (every anchor resolved, then every decorated paragraph
 * rendered again, mostly in clauses nobody sees yet) kept the margin from appearing for ~70 ms after the comments
 * arrived.
 */
export function setAnnotationView(editorView: EditorView, view: AnnotationView): void {
  const drawn = annotationKey.getState(editorView.state)
  const first = !drawn || anchoredCount(drawn.view) === 0
  const only = first && anchoredCount(view) > MAPPED_ABOVE ? clausesInView(editorView) : null
  editorView.dispatch(editorView.state.tr.setMeta(annotationKey, { view, only } satisfies Drawing))
}

/**
 * The ids of the clauses (and their sub-clauses) in the window, with one top-level clause more on each side: the
 * top-level nodes' boxes, searched by halves (a clause out of view keeps its box without its text being laid out).
 * Null when that cannot be told.
 */
function clausesInView(view: EditorView): Set<string> | null {
  const { doc } = view.state
  const offsets: number[] = []
  doc.forEach((_child, offset) => {
    offsets.push(offset)
  })
  const boxes = new Map<number, DOMRect | null>()
  const boxOf = (index: number) => {
    if (!boxes.has(index)) {
      const dom = view.nodeDOM(offsets[index] ?? 0)
      boxes.set(index, dom instanceof Element ? dom.getBoundingClientRect() : null)
    }
    return boxes.get(index) ?? null
  }
  /** The first top-level node whose box ends below `y` (its count when none does); null if one has no box. */
  const firstEndingBelow = (y: number): number | null => {
    let low = 0
    let high = offsets.length
    while (low < high) {
      const middle = (low + high) >> 1
      const box = boxOf(middle)
      if (!box) return null
      if (box.bottom > y) high = middle
      else low = middle + 1
    }
    return low
  }
  const from = firstEndingBelow(0)
  const to = firstEndingBelow(window.innerHeight)
  if (from === null || to === null) return null
  const ids = new Set<string>()
  const add = (node: PmNode) => {
    if (isClauseNode(node) && typeof node.attrs.id === 'string') ids.add(node.attrs.id)
  }
  for (let i = Math.max(0, from - 1); i <= Math.min(doc.childCount - 1, to + 1); i++) {
    const child = doc.child(i)
    add(child)
    child.descendants((node) => {
      add(node)
      return isClauseNode(node)
    })
  }
  return ids
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
  /** Drawn for the clauses in view only: the rest follows in the next idle moment. */
  partial: boolean
}

export const AnnotationDecorations = Extension.create({
  name: 'accordAnnotations',
  addProseMirrorPlugins() {
    return [
      new Plugin<PluginState>({
        key: annotationKey,
        state: {
          init: () => ({ view: EMPTY, decorations: DecorationSet.empty, stale: false, partial: false }),
          apply(tr, previous, _old, state) {
            // Highlights that stay where they were stay the same objects (see decorationReuse).
            const redraw = ({ view, only }: Drawing): PluginState => ({
              view,
              decorations: reuseDecorations(
                previous.decorations,
                tr.mapping,
                state.doc,
                decorate(state, view, only),
              ),
              stale: false,
              partial: only !== null,
            })
            const next = tr.getMeta(annotationKey) as Drawing | undefined
            if (next) return redraw(next)
            if (!tr.docChanged) return previous
            if (anchoredCount(previous.view) <= MAPPED_ABOVE)
              return redraw({ view: previous.view, only: null })
            return { ...previous, decorations: previous.decorations.map(tr.mapping, tr.doc), stale: true }
          },
        },
        props: {
          decorations: (state) => annotationKey.getState(state)?.decorations ?? null,
        },
        view: (editorView) => {
          const drawAll = () => {
            const current = annotationKey.getState(editorView.state)
            if (!editorView.isDestroyed && (current?.stale || current?.partial))
              editorView.dispatch(
                editorView.state.tr.setMeta(annotationKey, {
                  view: current.view,
                  only: null,
                } satisfies Drawing),
              )
          }
          const afterTyping = debounce(drawAll, RECOMPUTE_AFTER_MS)
          const rest = debounce(drawAll, 0)
          return {
            update(view) {
              const current = annotationKey.getState(view.state)
              if (current?.partial) rest.schedule()
              else if (current?.stale) afterTyping.schedule()
            },
            destroy: () => {
              afterTyping.cancel()
              rest.cancel()
            },
          }
        },
      }),
    ]
  },
})
