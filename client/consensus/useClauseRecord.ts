/**
 * What the panel shows beyond the live state: the clause's decision history and its last agreed text (the live
 * messages carry neither). Both are read again whenever the clause's consensus state changes.
 */

import { useEffect, useState } from 'react'
import type { Section } from '../../shared/api/sections.ts'
import type { ApiUser } from '../api/types.ts'
import { consensusApi, type HistoryEvent } from './consensusApi.ts'

export interface ClauseRecord {
  events: HistoryEvent[] | null
  section: Section | null
  error: unknown
}

/** `stamp` changes whenever the clause's consensus state does; null `clauseId` loads nothing. */
export function useClauseRecord(deliverableId: string, clauseId: string | null, stamp: string): ClauseRecord {
  const [record, setRecord] = useState<ClauseRecord & { for: string | null }>({
    for: null,
    events: null,
    section: null,
    error: null,
  })
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stamp` is the signal to read again
  useEffect(() => {
    if (!clauseId) return
    const controller = new AbortController()
    const { signal } = controller
    Promise.all([
      consensusApi.history(deliverableId, clauseId, signal),
      consensusApi.section(deliverableId, clauseId, signal),
    ]).then(
      ([history, answer]) => {
        if (!signal.aborted)
          setRecord({ for: clauseId, events: history.events, section: answer.section, error: null })
      },
      (error: unknown) => {
        // A clause created a moment ago may not be known to the server yet: keep what was shown.
        if (!signal.aborted) setRecord((old) => ({ ...old, for: clauseId, error }))
      },
    )
    return () => controller.abort()
  }, [deliverableId, clauseId, stamp])
  if (record.for !== clauseId) return { events: null, section: null, error: null }
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
