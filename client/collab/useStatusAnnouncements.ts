import { useEffect, useRef } from 'react'
import type { SessionState } from './collabSession.ts'
import { mergeMessage, statusLabel } from './syncStatus.ts'

/** Saving state is announced at most this often, and only once it has settled: typing must not chatter. */
const SAVING_SETTLE_MS = 3000
const SAVING_MIN_INTERVAL_MS = 30_000

/** Says connection changes, merges after an offline period and (sparingly) the saving state out loud. */
export function useStatusAnnouncements(state: SessionState, announce: (message: string) => void): void {
  const previousConnection = useRef(state.connection)
  const lastSavingAnnouncement = useRef(0)

  useEffect(() => {
    if (previousConnection.current === state.connection) return
    const before = previousConnection.current
    previousConnection.current = state.connection
    if (state.connection === 'online' && before === 'connecting') return
    announce(
      statusLabel({ connection: state.connection, unsaved: state.unsaved, storageProblem: !!state.storage })
        .text,
    )
  }, [state.connection, state.unsaved, state.storage, announce])

  useEffect(() => {
    if (state.merged) announce(mergeMessage(state.merged))
  }, [state.merged, announce])

  useEffect(() => {
    if (state.connection !== 'online') return
    const timer = setTimeout(() => {
      if (Date.now() - lastSavingAnnouncement.current < SAVING_MIN_INTERVAL_MS) return
      lastSavingAnnouncement.current = Date.now()
      announce(state.unsaved ? 'Saving…' : 'All changes saved')
    }, SAVING_SETTLE_MS)
    return () => clearTimeout(timer)
  }, [state.unsaved, state.connection, announce])
}
