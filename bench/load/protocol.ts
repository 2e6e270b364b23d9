/**
 * How the orchestrator drives a load-generator process over IPC: it sends one job; the job reports marks
 * ("measure-start", ...) and waits for the orchestrator's answer (which samples the server in between), then
 * sends its result.
 */

export interface LoadJob<P = unknown> {
  kind: string
  params: P
}

export type ToWorker =
  | { type: 'job'; job: LoadJob }
  | { type: 'marked'; name: string; reply: unknown }
  | { type: 'stop' }

export type FromWorker =
  | { type: 'mark'; name: string; data: unknown }
  | { type: 'result'; result: unknown }
  | { type: 'failed'; message: string }

export interface JobContext {
  /** Tells the orchestrator that a phase was reached; resolves with its answer. */
  mark<R = unknown>(name: string, data?: unknown): Promise<R>
  /** True once the orchestrator asked the job to stop (long-running jobs such as the abuser). */
  stopped(): boolean
  log(message: string): void
}

export type JobRunner = (params: any, context: JobContext) => Promise<unknown>
