/** Sends one consensus action and turns the server's refusals into sentences a person can act on. */

import { useCallback, useState } from 'react'
import type { Section } from '../../shared/api/sections.ts'
import { ApiError, errorMessage } from '../api/http.ts'
import { type ActionBody, consensusApi } from './consensusApi.ts'

export const STALE_TEXT_MESSAGE = 'The text changed since you looked; review and agree again.'

export function actionErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'stale_text') return STALE_TEXT_MESSAGE
    if (error.status === 409)
      return `${error.message} The clause changed meanwhile; the panel now shows its state.`
    if (error.status === 503) return `${error.message} Nothing was recorded; try again in a moment.`
  }
  return errorMessage(error)
}

export interface ActionRunner {
  run: (body: ActionBody) => Promise<boolean>
  pending: ActionBody['action'] | null
  error: string | null
  clearError: () => void
}

export function useConsensusAction(
  deliverableId: string,
  clauseId: string,
  onSection: (section: Section) => void,
): ActionRunner {
  const [pending, setPending] = useState<ActionBody['action'] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(
    async (body: ActionBody) => {
      setPending(body.action)
      setError(null)
      try {
        const { section } = await consensusApi.act(deliverableId, clauseId, body)
        onSection(section)
        return true
      } catch (cause) {
        setError(actionErrorMessage(cause))
        return false
      } finally {
        setPending(null)
      }
    },
    [deliverableId, clauseId, onSection],
  )
  const clearError = useCallback(() => setError(null), [])
  return { run, pending, error, clearError }
}
