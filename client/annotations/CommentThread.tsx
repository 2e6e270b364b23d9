/**
 * One comment thread in the margin: what it is anchored to (or that the text was removed), its messages with their
 * authors and times, reply, edit and delete of one's own messages, resolve and reopen.
 */
import { memo, useEffect, useId, useRef, useState } from 'react'
import type { PresentedComment } from '../../shared/api/annotations.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import { formatWhen } from '../consensus/formatWhen.ts'
import { ErrorNote } from '../shell/ui.tsx'
import { annotationsApi } from './annotationsApi.ts'
import { MentionField } from './MentionField.tsx'
import type { Thread } from './threads.ts'
import type { AnnotationsController } from './useAnnotations.ts'
import { useCommentForm } from './useCommentForm.ts'
import { useRequest } from './useRequest.ts'

interface Props {
  thread: Thread
  annotations: AnnotationsController
  clauseLabel: string
  /** Its anchored text is gone (as the server said, or as this replica sees now). */
  removed: boolean
  onShowInText: ((anchor: Anchor) => void) | null
}

/** Drawn again only when its own props change (not on every keystroke in the text). */
export const CommentThread = memo(function CommentThread({
  thread,
  annotations,
  clauseLabel,
  removed,
  onShowInText,
}: Props) {
  const { first } = thread
  const titleId = useId()
  const request = useRequest()
  const { deliverableId, userId } = annotations
  const active = annotations.activeThreadId === first.id
  const mayResolve = annotations.mayComment && (annotations.mayResolveAny || first.authorId === userId)
  const resolve = () =>
    request.run(async () => {
      const { comment } = await annotationsApi.resolveComment(deliverableId, first.id, !first.resolved)
      annotations.merge([comment], [])
      annotations.announce(comment.resolved ? 'Thread resolved' : 'Thread reopened')
    })

  return (
    <article
      className={`comment-thread${active ? ' active' : ''}${first.resolved ? ' resolved' : ''}`}
      aria-labelledby={titleId}
      data-testid="comment-thread"
      data-comment-id={first.id}
      // Reached with Alt+Down / Alt+Up from the neighbouring thread (the margin's keys), not by Tab.
      tabIndex={-1}
      onFocus={() => annotations.setActiveThread(first.id)}
      onMouseEnter={() => annotations.setActiveThread(first.id)}
    >
      <h3 id={titleId} className="thread-title">
        {clauseLabel}
        {first.resolved && <span className="thread-state"> · Resolved</span>}
      </h3>
      {removed ? (
        <p className="anchor-removed" data-testid="text-removed">
          Text removed{first.quote ? `: “${first.quote}”` : ''}
        </p>
      ) : first.quote ? (
        <blockquote className="thread-quote">{first.quote}</blockquote>
      ) : (
        <p className="small muted">On the whole clause</p>
      )}
      <ol className="thread-messages">
        {[first, ...thread.replies].map((comment) => (
          <Message key={comment.id} comment={comment} annotations={annotations} />
        ))}
      </ol>
      <div className="thread-actions">
        {onShowInText && first.anchor && !removed && (
          <button
            type="button"
            className="button small"
            onClick={() => first.anchor && onShowInText(first.anchor)}
          >
            Show in text
          </button>
        )}
        {mayResolve && (
          <button type="button" className="button small" disabled={request.busy} onClick={resolve}>
            {first.resolved ? 'Reopen' : 'Resolve'}
          </button>
        )}
      </div>
      <ErrorNote error={request.error} />
      {annotations.mayComment && <ReplyForm thread={thread} annotations={annotations} />}
    </article>
  )
})

function Message({
  comment,
  annotations,
}: {
  comment: PresentedComment
  annotations: AnnotationsController
}) {
  const [editing, setEditing] = useState(false)
  const edit = useCommentForm(annotations, comment.body)
  const { request } = edit
  const own = comment.authorId === annotations.userId && !comment.deleted
  const { deliverableId } = annotations
  const save = edit.onSubmit(async (body, mentions) => {
    const answer = await annotationsApi.editComment(deliverableId, comment.id, { body, mentions })
    annotations.merge([answer.comment], [])
    setEditing(false)
  })
  const remove = () =>
    request.run(async () => {
      const answer = await annotationsApi.deleteComment(deliverableId, comment.id)
      annotations.merge([answer.comment], [])
      annotations.announce('Message deleted')
    })
  return (
    <li className="thread-message">
      <p className="message-meta">
        <strong>{annotations.authorName(comment.authorId)}</strong>{' '}
        <time dateTime={comment.createdAt}>{formatWhen(comment.createdAt)}</time>
        {comment.editedAt && !comment.deleted && <span className="muted"> (edited)</span>}
      </p>
      {comment.deleted ? (
        <p className="muted">Message deleted.</p>
      ) : editing ? (
        <form onSubmit={save} className="message-edit">
          <MentionField label="Edit your message" {...edit.field} rows={3} />
          <button type="submit" className="button small primary" disabled={request.busy}>
            Save
          </button>
          <button type="button" className="button small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <p className="message-body">{comment.body}</p>
      )}
      {own && !editing && (
        <div className="message-actions">
          <button
            type="button"
            className="button small link"
            onClick={() => {
              edit.setBody(comment.body)
              setEditing(true)
            }}
          >
            Edit<span className="visually-hidden"> your message</span>
          </button>
          <button type="button" className="button small link" disabled={request.busy} onClick={remove}>
            Delete<span className="visually-hidden"> your message</span>
          </button>
        </div>
      )}
      <ErrorNote error={request.error} />
    </li>
  )
}

/**
 * "Reply", which opens the reply form. Each thread's form is drawn only once asked for: a margin of 100 threads
 * with a form each made Chromium's autofill scan every form a moment after they appeared (one layout per form:
 * 100 ms at the opening of a deliverable with 2,000 comments). An open form stays open until its reply is posted
 * or the user cancels, whichever thread is active meanwhile.
 */
function ReplyForm({ thread, annotations }: { thread: Thread; annotations: AnnotationsController }) {
  const form = useCommentForm(annotations)
  const [open, setOpen] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)
  const { sectionId, id } = thread.first
  const close = () => {
    form.setBody('')
    setOpen(false)
  }
  // Back to "Reply" once the form closes from inside it (posted or cancelled), not at the first draw.
  const wasOpen = useRef(false)
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus()
    wasOpen.current = open
  }, [open])
  if (!open)
    return (
      <button ref={opener} type="button" className="button small reply-open" onClick={() => setOpen(true)}>
        Reply<span className="visually-hidden"> to this thread</span>
      </button>
    )
  return (
    <form
      className="reply-form"
      onSubmit={form.postComment({ sectionId, replyTo: id }, 'Reply posted', close)}
    >
      <MentionField label="Reply" {...form.field} rows={2} autoFocus />
      <div className="thread-actions">
        <button type="submit" className="button small" disabled={form.request.busy || !form.body.trim()}>
          Post reply
        </button>
        <button type="button" className="button small" onClick={close}>
          Cancel<span className="visually-hidden"> the reply</span>
        </button>
      </div>
      <ErrorNote error={form.request.error} />
    </form>
  )
}
