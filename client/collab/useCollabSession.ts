/**
 * Owns the replica of the deliverable the editor shows, and replaces it after a refusal (SYNC.md §3): the user's
 * work is saved aside in IndexedDB, the replica and its offline copy are discarded, a fresh replica syncs, and the
 * user's edits are re-applied where allowed; the rest is shown with its text. A refusal that repeats right after
 * a recovery stops the re-applying, so the client never loops.
 */
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { accordSchema } from '../../shared/editor/extensions.ts'
import { consensusViewOf } from '../editor/consensusState.ts'
import { applyRecoveryPlan } from './applyRecovery.ts'
import { CollabSession, INITIAL_SESSION_STATE, type Refusal, type SettledState } from './collabSession.ts'
import { deleteWork, loadWork, offlineDocName, type SavedWork, saveWork } from './offlineStore.ts'
import { type JsonNode, type KeptText, planRecovery } from './recoveryPlan.ts'

export interface RecoveryView {
  reason: string
  message: string
  kept: KeptText[]
  /** True when re-applying was skipped because the same refusal came back. */
  stopped: boolean
  /** True until the fresh replica synced and the plan ran. */
  inProgress: boolean
  /** Even a fresh replica was refused again: syncing stopped until the page is reloaded. */
  halted: boolean
}

export interface CollabControl {
  session: CollabSession
  generation: number
  /** Everything but the saving state (see SettledState): follow that with `session.subscribe`. */
  state: SettledState
  recovery: RecoveryView | null
  dismissRecovery: () => void
}

interface Pending {
  work: SavedWork
  reapply: boolean
}

/** Within this time after a recovery, the same refusal again means re-applying would loop. */
const REPEAT_WINDOW_MS = 60_000

const sameRefusal = (a: { reason: string; sectionIds: string[] }, b: Refusal) =>
  a.reason === b.reason && [...a.sectionIds].sort().join() === [...b.sectionIds].sort().join()

export function useCollabSession(deliverableId: string, userId: string, mayEdit: boolean): CollabControl {
  const workKey = offlineDocName(userId, deliverableId)
  const [current, setCurrent] = useState<{ session: CollabSession; generation: number } | null>(null)
  const [recovery, setRecovery] = useState<RecoveryView | null>(null)
  const pending = useRef<Pending | null>(null)
  const lastRecovery = useRef<{
    at: number
    reason: string
    sectionIds: string[]
    reapplied: boolean
  } | null>(null)
  const sessionRef = useRef<CollabSession | null>(null)
  const generationRef = useRef(0)
  // Bumped when work to re-apply appears, so the effect below runs even if the replica is already synced.
  const [pendingVersion, setPendingVersion] = useState(0)

  const start = useCallback(
    (generation: number, disableBc: boolean) => {
      const session: CollabSession = new CollabSession({
        deliverableId,
        userId,
        disableBc,
        onRefused: (refusal) => void replaceRef.current(session, refusal),
      })
      sessionRef.current = session
      generationRef.current = generation
      setCurrent({ session, generation })
    },
    [deliverableId, userId],
  )

  const replace = async (old: CollabSession, refusal: Refusal) => {
    if (sessionRef.current !== old) return
    const last = lastRecovery.current
    const repeated = !!last && Date.now() - last.at < REPEAT_WINDOW_MS && sameRefusal(last, refusal)
    if (repeated && !last.reapplied) {
      // A fresh replica that re-applied nothing was refused the same way: the cause is not the user's edits.
      // Stop here; the replica stays on screen, disconnected, and the user's work stays on this device.
      setRecovery((current) => ({
        reason: refusal.reason,
        message: refusal.message,
        kept: current?.kept ?? [],
        stopped: true,
        inProgress: false,
        halted: true,
      }))
      return
    }
    sessionRef.current = null
    const work: SavedWork = {
      doc: yXmlFragmentToProsemirrorJSON(old.body) as JsonNode,
      reason: refusal.reason,
      message: refusal.message,
      sectionIds: refusal.sectionIds,
      at: Date.now(),
      kept: [],
      applied: false,
    }
    await saveWork(workKey, work).catch(() => undefined)
    lastRecovery.current = {
      at: Date.now(),
      reason: refusal.reason,
      sectionIds: refusal.sectionIds,
      reapplied: !repeated,
    }
    setRecovery({
      reason: refusal.reason,
      message: refusal.message,
      kept: [],
      stopped: repeated,
      inProgress: true,
      halted: false,
    })
    pending.current = { work, reapply: !repeated }
    setPendingVersion((v) => v + 1)
    await old.discard()
    start(generationRef.current + 1, true)
  }
  const replaceRef = useRef(replace)
  replaceRef.current = replace

  // biome-ignore lint/correctness/useExhaustiveDependencies: one replica per deliverable and user
  useEffect(() => {
    let cancelled = false
    // Work saved aside by an earlier recovery that did not finish (the tab closed): finish it now.
    void loadWork(workKey)
      .then((work) => {
        if (cancelled || !work) return
        if (work.applied) {
          const { reason, message, kept } = work
          setRecovery({ reason, message, kept, stopped: false, inProgress: false, halted: false })
        } else if (!pending.current) {
          pending.current = { work, reapply: true }
          setPendingVersion((v) => v + 1)
        }
      })
      .catch(() => undefined)
    start(0, false)
    return () => {
      cancelled = true
      sessionRef.current?.destroy()
      sessionRef.current = null
    }
  }, [workKey])

  const session = current?.session ?? null
  const state = useSyncExternalStore(
    session ? session.subscribe : noopSubscribe,
    session ? session.getSettledState : nullState,
  ) as SettledState | null

  // Re-apply once the fresh replica has the server's document and the server said what this user may do and
  // which clauses are locked.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pendingVersion signals new work in the ref
  useEffect(() => {
    const job = pending.current
    if (!session || !state?.synced || !job || state.canEdit === null || !state.sections) return
    pending.current = null
    const { work } = job
    const refused = new Set(work.sectionIds)
    const { locked: agreed } = consensusViewOf(Object.values(state.sections))
    const locked = new Set([...agreed, ...(work.reason === 'section-locked' ? work.sectionIds : [])])
    const fresh = yXmlFragmentToProsemirrorJSON(session.body) as JsonNode
    const plan = planRecovery(work.doc ?? { type: 'doc' }, fresh, {
      locked,
      refused,
      canEdit: job.reapply && mayEdit && state.canEdit && work.reason !== 'read-only',
    })
    const failed = applyRecoveryPlan(session.body, accordSchema(), plan)
    const kept = [...plan.kept, ...failed]
    setRecovery({
      reason: work.reason,
      message: work.message,
      kept,
      stopped: !job.reapply,
      inProgress: false,
      halted: false,
    })
    const done: SavedWork = { ...work, doc: null, kept, applied: true }
    void (kept.length ? saveWork(workKey, done) : deleteWork(workKey)).catch(() => undefined)
  }, [session, state?.synced, state?.canEdit, state?.sections, mayEdit, workKey, pendingVersion])

  const dismissRecovery = useCallback(() => {
    setRecovery(null)
    void deleteWork(workKey).catch(() => undefined)
  }, [workKey])

  if (!current || !state) {
    // The first render before the effect created the replica.
    return {
      session: null as unknown as CollabSession,
      generation: -1,
      state: INITIAL_SESSION_STATE,
      recovery,
      dismissRecovery,
    }
  }
  return { session: current.session, generation: current.generation, state, recovery, dismissRecovery }
}

const noopSubscribe = () => () => undefined
const nullState = () => null
