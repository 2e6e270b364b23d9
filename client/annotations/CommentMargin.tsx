/**
 * The comments margin beside the text: "Comment" on the selection (or on the clause at the cursor; Ctrl+Alt+M),
 * a filter, and the threads in the order of their anchors, lined up with them where there is room. Alt+Down and
 * Alt+Up move from a thread to the next or previous one (Tab goes through each thread's controls).
 */
import type { Editor } from '@tiptap/core'
import {
  type KeyboardEvent as ReactKeyboardEvent,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react'
import type { Anchor } from '../../shared/domain/annotations.ts'
import type { OutlineRow } from '../editor/outline.ts'
import { clauseAt } from '../editor/outline.ts'
import { readPendingSelection } from '../editor/pendingSelection.ts'
import { ErrorNote } from '../shell/ui.tsx'
import { MAPPED_ABOVE } from './annotationDecorations.ts'
import { CommentThread } from './CommentThread.tsx'
import { anchorFromRange, rangeOfAnchor } from './editorAnchors.ts'
import { MentionField } from './MentionField.tsx'
import { FILTER_LABELS, THREAD_FILTERS, type ThreadFilter } from './threads.ts'
import { useAnchorAlignment } from './useAnchorAlignment.ts'
import type { AnnotationsController } from './useAnnotations.ts'
import { useCommentForm } from './useCommentForm.ts'
import { useDocVersion } from './useDocVersion.ts'
import { useMarginThreads } from './useMarginThreads.ts'

interface Props {
  annotations: AnnotationsController
  editor: Editor | null
  outline: readonly OutlineRow[]
  selectedClauseId: string | null
}

/** Threads drawn at first, and added by "Show more": the margin stays quick with thousands of comments. */
const PAGE = 100

const FILTER_OPTIONS = THREAD_FILTERS.map((f) => <option key={f} value={f} label={FILTER_LABELS[f]} />)

interface Composing {
  sectionId: string
  anchor?: Anchor
  quote: string
}

export function CommentMargin({ annotations, editor, outline, selectedClauseId }: Props) {
  const [filter, setFilter] = useState<ThreadFilter>('open')
  const [composing, setComposing] = useState<Composing | null>(null)
  const [placeError, setPlaceError] = useState<string | null>(null)
  const list = useRef<HTMLOListElement>(null)
  const headingId = useId()
  const filterId = useId()
  const keysId = useId()

  const startComment = () => {
    setPlaceError(null)
    if (!editor || editor.isDestroyed) return
    readPendingSelection(editor.view)
    const { from, to, empty, $from } = editor.state.selection
    if (empty) {
      const id = clauseAt($from)?.node.attrs.id ?? selectedClauseId
      if (typeof id !== 'string' || !id) {
        setPlaceError('Select text in a clause, or place the cursor in one, to comment on it.')
        return
      }
      setComposing({ sectionId: id, quote: '' })
      return
    }
    const placed = anchorFromRange(editor, from, to)
    if (typeof placed === 'string') setPlaceError(placed)
    else setComposing({ sectionId: placed.sectionId, anchor: placed.anchor, quote: placed.text })
  }
  const startRef = useRef(startComment)
  startRef.current = startComment

  const { mayComment } = annotations
  useEffect(() => {
    if (!mayComment) return
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.altKey && event.key.toLowerCase() === 'm') {
        event.preventDefault()
        startRef.current()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [mayComment])

  const label = (sectionId: string) => {
    const entry = outline.find((e) => e.id === sectionId)
    if (!entry) return 'A removed clause'
    return `${entry.number ? `${entry.number} ` : ''}${entry.title || 'Untitled clause'}`
  }

  const { activeThreadId } = annotations
  // Many comments: measured once the typing pauses, not on every keystroke; none: the text is not followed at all
  // (each new version renders the margin, a React commit that walks the editor's DOM).
  const version = useDocVersion(
    annotations.comments.length > 0 ? editor : null,
    annotations.comments.length > MAPPED_ABOVE ? 300 : 0,
  )
  const [limit, setLimit] = useState(PAGE)
  const { threads, hidden, positions, removed } = useMarginThreads({
    comments: annotations.comments,
    filter,
    userId: annotations.userId,
    selectedClauseId,
    activeThreadId,
    outline,
    editorState: editor && !editor.isDestroyed ? editor.state : null,
    version,
    limit,
  })
  useAnchorAlignment(list, editor, positions, version)

  // A thread chosen elsewhere (the clause panel) comes into view here.
  useEffect(() => {
    if (!activeThreadId) return
    const item = list.current?.querySelector<HTMLElement>(
      `li[data-thread-id="${CSS.escape(activeThreadId)}"]`,
    )
    item?.scrollIntoView({ block: 'nearest' })
  }, [activeThreadId])

  /** Alt+Down / Alt+Up from anywhere in a thread: focus the next or previous thread (it becomes the active one). */
  const moveBetweenThreads = (event: ReactKeyboardEvent<HTMLOListElement>) => {
    if (!event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return
    const item = (event.target as HTMLElement).closest('li[data-thread-id]')
    const next = event.key === 'ArrowDown' ? item?.nextElementSibling : item?.previousElementSibling
    const thread = next?.querySelector<HTMLElement>('[data-testid="comment-thread"]')
    if (!thread) return
    event.preventDefault()
    thread.focus()
  }

  const showInText = useCallback(
    (anchor: Anchor) => {
      if (!editor || editor.isDestroyed) return
      const range = rangeOfAnchor(editor.state, anchor)
      if (!range) return
      // Focused first: focusing a text that never had the focus puts the browser's caret at its start, and the
      // editor took that for the user's choice (the first "Show in text" of a page selected nothing).
      editor.view.focus()
      editor.chain().setTextSelection(range).scrollIntoView().run()
    },
    [editor],
  )

  return (
    <aside className="comment-margin" aria-labelledby={headingId} data-testid="comment-margin">
      <div className="margin-header">
        <h2 id={headingId}>Comments</h2>
        {mayComment && (
          <button
            type="button"
            className="button small"
            aria-keyshortcuts="Control+Alt+M"
            title="Ctrl+Alt+M"
            onClick={startComment}
          >
            Comment
          </button>
        )}
      </div>
      <ErrorNote error={placeError} />
      {composing && (
        <NewComment
          composing={composing}
          clauseLabel={label(composing.sectionId)}
          annotations={annotations}
          onDone={() => setComposing(null)}
        />
      )}
      <div className="margin-filter">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value as ThreadFilter)
            setLimit(PAGE)
          }}
        >
          {FILTER_OPTIONS}
        </select>
      </div>
      {threads.length === 0 && <p className="small muted">No comments to show.</p>}
      {threads.length > 1 && (
        <p className="small muted" id={keysId}>
          Alt+Down and Alt+Up: next and previous thread.
        </p>
      )}
      <ol
        className="thread-list"
        ref={list}
        onKeyDown={moveBetweenThreads}
        aria-describedby={threads.length > 1 ? keysId : undefined}
      >
        {threads.map((thread) => (
          <li key={thread.first.id} data-thread-id={thread.first.id}>
            <CommentThread
              thread={thread}
              annotations={annotations}
              clauseLabel={label(thread.first.sectionId)}
              removed={thread.first.removed || removed.has(thread.first.id)}
              onShowInText={editor ? showInText : null}
            />
          </li>
        ))}
      </ol>
      {hidden > 0 && (
        <button type="button" className="button small" onClick={() => setLimit((n) => n + PAGE)}>
          Show {Math.min(PAGE, hidden)} more of {hidden} threads not shown
        </button>
      )}
    </aside>
  )
}

function NewComment(props: {
  composing: Composing
  clauseLabel: string
  annotations: AnnotationsController
  onDone: () => void
}) {
  const { composing, annotations, onDone } = props
  const form = useCommentForm(annotations)
  const { sectionId, anchor } = composing
  return (
    <form
      className="new-comment"
      onSubmit={form.postComment({ sectionId, anchor }, 'Comment posted', onDone)}
      data-testid="new-comment"
    >
      <p className="small">
        On {props.clauseLabel}
        {composing.quote ? `: “${composing.quote}”` : ' (the whole clause)'}
      </p>
      <MentionField label="Your comment" {...form.field} rows={3} autoFocus />
      <button
        type="submit"
        className="button small primary"
        disabled={form.request.busy || !form.body.trim()}
      >
        Post comment
      </button>
      <button type="button" className="button small" onClick={onDone}>
        Cancel
      </button>
      <ErrorNote error={form.request.error} />
    </form>
  )
}
