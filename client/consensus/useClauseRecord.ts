/**
 * What the panel shows beyond the live state: the clause's decision history and its last agreed text (the live
 * messages carry neither). Both are read again whenever the clause's consensus state changes, and after a failed
 * read that may pass (no connection, a server restarting) until one succeeds: soon and then every few seconds, and
 * at once when the browser says it is online again.
 * A read that failed while the connection was down is thus never left in error once the server is reachable.
 */

import { useEffect, useRef, useState } from 'react'
import type { ClauseContribution, ClauseSuggestion } from '../../shared/api/clauseHistory.ts'
import type { Section } from '../../shared/api/sections.ts'
import { ApiError } from '../api/http.ts'
import type { ApiUser } from '../api/types.ts'
import { consensusApi, type HistoryEvent } from './consensusApi.ts'

export interface ClauseRecord {
  events: HistoryEvent[] | null
  /** The contributions and suggestions on the clause (empty until read). */
  origins: ClauseOrigins
  section: Section | null
  error: unknown
}

export interface ClauseOrigins {
  contributions: readonly ClauseContribution[]
  suggestions: readonly ClauseSuggestion[]
}

const NO_ORIGINS: ClauseOrigins = { contributions: [], suggestions: [] }

/** How long to wait before reading again after `failures` failed reads in a row: 1 s, 2 s, then every 4 s. */
export const retryDelay = (failures: number) => Math.min(1000 * 2 ** Math.max(0, failures - 1), 4000)

/**
 * A failure that may pass: no connection, an overloaded or restarting server. Not a refusal (401, 403, 404): asking
 * again would get the same answer.
 */
function passing(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false
  return error.status === 0 || error.status === 429 || error.status >= 500
}

/** `stamp` changes whenever the clause's consensus state does; null `clauseId` loads nothing. */
export function useClauseRecord(deliverableId: string, clauseId: string | null, stamp: string): ClauseRecord {
  const [record, setRecord] = useState<ClauseRecord & { for: string | null }>({
    for: null,
    events: null,
    origins: NO_ORIGINS,
    section: null,
    error: null,
  })
  // Each failed read sets a new error: one timer per failure, the wait growing with the failures in a row.
  const [retry, setRetry] = useState(0)
  const streak = useRef(0)
  const failure = record.for === clauseId && passing(record.error) ? record.error : null
  useEffect(() => {
    if (failure === null) return
    const again = () => setRetry((n) => n + 1)
    const timer = setTimeout(again, retryDelay(streak.current))
    window.addEventListener('online', again)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('online', again)
    }
  }, [failure])
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stamp` and `retry` are the signals to read again
  useEffect(() => {
    if (!clauseId) return
    const controller = new AbortController()
    const { signal } = controller
    Promise.all([
      consensusApi.history(deliverableId, clauseId, signal),
      consensusApi.section(deliverableId, clauseId, signal),
    ]).then(
      ([history, answer]) => {
        if (signal.aborted) return
        streak.current = 0
        const origins = {
          contributions: history.contributions ?? [],
          suggestions: history.suggestions ?? [],
        }
        setRecord({ for: clauseId, events: history.events, origins, section: answer.section, error: null })
      },
      (error: unknown) => {
        // A clause created a moment ago may not be known to the server yet: keep what was shown.
        if (signal.aborted) return
        streak.current++
        setRecord((old) => ({ ...old, for: clauseId, error }))
      },
    )
    return () => controller.abort()
  }, [deliverableId, clauseId, stamp, retry])
  if (record.for !== clauseId) return { events: null, origins: NO_ORIGINS, section: null, error: null }
  return record
}

/** Every user's name by id (GET /api/users), for "who" in the history and objections. */
export function useUserDirectory(): ReadonlyMap<string, ApiUser> {
  const [users, setUsers] = useState<ReadonlyMap<string, ApiUser>>(new Map())
  useEffect(() => {
    const controller = new AbortController()
    consensusApi.users(controller.signal).then(
      ({ users }) => setUsers(new Map(users.map((user) => [user.id, user]))),
      () => undefined,
    )
    return () => controller.abort()
  }, [])
  return users
}

export function userName(users: ReadonlyMap<string, ApiUser>, userId: string): string {
  const user = users.get(userId)
  if (!user) return 'A former member'
  return user.organization ? `${user.name} (${user.organization})` : user.name
}
