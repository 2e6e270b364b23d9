/**
 * The editor's first request (the deliverable and its clauses), started as soon as a deliverable's address is
 * opened, while the editor's code (most of the application) is still being fetched and compiled: its answer is
 * then waiting when the editor asks, instead of the editor asking only once it runs. Each answer is taken once;
 * one older than a few seconds is not used (the editor asks again).
 */
import { api } from '../api/endpoints.ts'

type DeliverableAnswer = ReturnType<typeof api.deliverable>

const FRESH_MS = 5_000
const started = new Map<string, { at: number; answer: DeliverableAnswer }>()

/** Starts loading the deliverable unless a fresh request for it is already under way. */
export function prefetchDeliverable(deliverableId: string): void {
  const existing = started.get(deliverableId)
  if (existing && performance.now() - existing.at < FRESH_MS) return
  const answer = api.deliverable(deliverableId)
  // Whoever takes it sees the error; untaken, it must not be an unhandled rejection.
  answer.catch(() => undefined)
  started.set(deliverableId, { at: performance.now(), answer })
}

/** The answer started by `prefetchDeliverable`, once, if still fresh; otherwise null. */
export function takePrefetchedDeliverable(deliverableId: string): DeliverableAnswer | null {
  const entry = started.get(deliverableId)
  started.delete(deliverableId)
  return entry && performance.now() - entry.at < FRESH_MS ? entry.answer : null
}
