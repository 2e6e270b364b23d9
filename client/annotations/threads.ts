/** Comments gathered into threads (a first comment and its replies), filtered as the margin's filter says. */
import type { PresentedComment } from '../../shared/api/annotations.ts'

export interface Thread {
  first: PresentedComment
  replies: PresentedComment[]
}

export const THREAD_FILTERS = ['open', 'resolved', 'mine', 'clause', 'all'] as const
export type ThreadFilter = (typeof THREAD_FILTERS)[number]

export const FILTER_LABELS: Record<ThreadFilter, string> = {
  open: 'Open',
  resolved: 'Resolved',
  mine: 'Mine',
  clause: 'On this clause',
  all: 'All',
}

export function threadsOf(comments: readonly PresentedComment[]): Thread[] {
  const threads = new Map<string, Thread>()
  for (const comment of comments)
    if (!comment.replyTo) threads.set(comment.id, { first: comment, replies: [] })
  for (const comment of comments) if (comment.replyTo) threads.get(comment.replyTo)?.replies.push(comment)
  for (const thread of threads.values()) thread.replies.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  return [...threads.values()]
}

const KEEPS: Record<ThreadFilter, (thread: Thread, context: FilterContext) => boolean> = {
  open: (thread) => !thread.first.resolved,
  resolved: (thread) => thread.first.resolved,
  mine: (thread, { userId }) => [thread.first, ...thread.replies].some((c) => c.authorId === userId),
  clause: (thread, { clauseId }) => thread.first.sectionId === clauseId,
  all: () => true,
}

interface FilterContext {
  userId: string
  clauseId: string | null
}

export function filterThreads(
  threads: readonly Thread[],
  filter: ThreadFilter,
  context: FilterContext,
): Thread[] {
  return threads.filter((thread) => KEEPS[filter](thread, context))
}
