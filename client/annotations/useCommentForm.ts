/**
 * A message being written in the margin (a new comment, a reply, an edit): its text, the field's props for the
 * mention picker, and posting it with the ids of the members its `@Name`s mention.
 */
import { type FormEvent, useState } from 'react'
import type { Anchor } from '../../shared/domain/annotations.ts'
import { annotationsApi } from './annotationsApi.ts'
import { mentionedIn } from './mentions.ts'
import type { AnnotationsController } from './useAnnotations.ts'
import { useRequest } from './useRequest.ts'

export function useCommentForm(annotations: AnnotationsController, initial = '') {
  const [body, setBody] = useState(initial)
  const request = useRequest()
  const field = { value: body, onChange: setBody, members: annotations.members }
  /** A submit handler that sends the text and its mentions with `send`. */
  const onSubmit = (send: (body: string, mentions: string[]) => Promise<void>) => (event: FormEvent) => {
    event.preventDefault()
    void request.run(() => send(body, mentionedIn(body, annotations.members)))
  }
  /** A submit handler that posts a comment (`place`: where, or which thread); `done` runs once it is posted. */
  const postComment = (
    place: { sectionId: string; anchor?: Anchor | undefined; replyTo?: string },
    posted: string,
    done: () => void,
  ) =>
    onSubmit(async (text, mentions) => {
      const { anchor, ...rest } = place
      const { comment } = await annotationsApi.addComment(annotations.deliverableId, {
        ...rest,
        ...(anchor ? { anchor } : {}),
        body: text,
        mentions,
      })
      annotations.merge([comment], [])
      annotations.announce(posted)
      done()
    })
  return { body, setBody, field, request, onSubmit, postComment }
}
