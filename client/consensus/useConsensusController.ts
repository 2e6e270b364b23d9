/**
 * Everything the consensus components of the editor screen share: the clauses' consensus state, the user's
 * abilities, which clause is selected, and a pending "raise as objection" (from the refused-text panel).
 */
import type { Editor } from '@tiptap/core'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Section } from '../../shared/api/sections.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'
import type { ApiUser } from '../api/types.ts'
import { type ConsensusView, consensusViewOf } from '../editor/consensusState.ts'
import type { OutlineRow } from '../editor/outline.ts'
import { useStableObject } from '../shell/useStableObject.ts'
import type { Abilities } from './actionOptions.ts'
import { setObjectionCounts } from './clauseBadges.ts'
import { type ConsensusMap, openObjections, type Progress } from './clauseConsensus.ts'
import { useClauseConsensus } from './useClauseConsensus.ts'
import { useUserDirectory } from './useClauseRecord.ts'
import { useLiveMessage } from './useLiveMessage.ts'
import { useSelectedClause } from './useSelectedClause.ts'

export interface ObjectionDraft {
  clauseId: string
  suggestion: string
  /** Distinguishes two requests with the same text. */
  nonce: number
}

export interface ConsensusController {
  deliverableId: string
  userId: string
  abilities: Abilities
  /** Every clause's consensus state by clause id. */
  clauses: ConsensusMap
  /** What the editor enforces and shows: statuses, locks and required clauses, derived from `clauses`. */
  view: ConsensusView
  /** Open objections per clause id (clauses without any are left out). */
  objectionCounts: Readonly<Record<string, number>>
  progress: Progress
  record: (section: Section) => void
  selectedId: string | null
  select: (id: string | null) => void
  users: ReadonlyMap<string, ApiUser>
  objectionDraft: ObjectionDraft | null
  /** Opens the objection form of that clause with the text as the suggested replacement. */
  raiseObjection: (clauseId: string, suggestion: string) => void
  clearObjectionDraft: () => void
  /** Says a consensus change in the panel's live region. */
  announce: (message: string) => void
  /** What the live region says now. */
  announcement: string
}

export interface ControllerInput {
  deliverableId: string
  userId: string
  abilities: Abilities
  sections: readonly Section[]
  /** The live connection's latest state of each section; null until the server sent it. */
  live: Readonly<Record<string, SectionState>> | null
  outline: readonly OutlineRow[]
  editor: Editor | null
}

export function useConsensusController(input: ControllerInput): ConsensusController {
  const [announcement, announce] = useLiveMessage()
  const { consensus, progress, record } = useClauseConsensus(
    input.sections,
    input.live,
    input.outline,
    announce,
  )
  const [selectedId, select] = useSelectedClause(input.editor)
  const users = useUserDirectory()
  const [objectionDraft, setDraft] = useState<ObjectionDraft | null>(null)
  const raiseObjection = useCallback(
    (clauseId: string, suggestion: string) => {
      select(clauseId)
      setDraft({ clauseId, suggestion, nonce: Date.now() })
    },
    [select],
  )
  const clearObjectionDraft = useCallback(() => setDraft(null), [])

  const view = useMemo(() => consensusViewOf(Object.values(consensus)), [consensus])

  const objectionCounts = useMemo(() => {
    const counts: Record<string, number> = {}
    for (const clause of Object.values(consensus)) {
      const open = openObjections(clause).length
      if (open > 0) counts[clause.id] = open
    }
    return counts
  }, [consensus])

  const { editor } = input
  useEffect(() => {
    if (editor && !editor.isDestroyed) setObjectionCounts(editor.view, objectionCounts)
  }, [editor, objectionCounts])

  const { deliverableId, userId, abilities } = input
  return useStableObject({
    deliverableId,
    userId,
    abilities,
    clauses: consensus,
    view,
    objectionCounts,
    progress,
    record,
    selectedId,
    select,
    users,
    objectionDraft,
    raiseObjection,
    clearObjectionDraft,
    announce,
    announcement,
  })
}
