/**
 * The consensus state of every clause on this screen: the API's sections to begin with, then each live
 * `consensus` message and the answers to the user's own actions. Every change of status or objections is said
 * in the live region ("Clause 3.2 agreed"); the first state of a clause is not.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { type Section, sectionStateOf } from '../../shared/api/sections.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'
import type { OutlineRow } from '../editor/outline.ts'
import {
  type ConsensusMap,
  clauseLabel,
  describeChange,
  type Progress,
  progressOf,
  sameConsensus,
} from './clauseConsensus.ts'

export interface ClauseConsensusState {
  consensus: ConsensusMap
  progress: Progress
  /** Takes the section an action answered with (it may be newer than the last live message). */
  record: (section: Section) => void
}

export function useClauseConsensus(
  initial: readonly Section[],
  /** The live connection's latest state of each section; null until the server sent it. */
  live: Readonly<Record<string, SectionState>> | null,
  outline: readonly OutlineRow[],
  announce: (message: string) => void,
): ClauseConsensusState {
  const [consensus, setConsensus] = useState<ConsensusMap>(() =>
    Object.fromEntries(initial.map((section) => [section.id, sectionStateOf(section)])),
  )
  const current = useRef(consensus)
  const outlineRef = useRef(outline)
  outlineRef.current = outline

  const apply = useCallback(
    (changes: SectionState[]) => {
      const next: Record<string, SectionState> = { ...current.current }
      const said: string[] = []
      let changed = false
      for (const clause of changes) {
        const before = next[clause.id]
        if (sameConsensus(before, clause)) continue
        changed = true
        next[clause.id] = clause
        if (!before) continue
        const entry = outlineRef.current.find((e) => e.id === clause.id)
        const sentence = entry && describeChange(before, clause, clauseLabel(entry.number, entry.title))
        if (sentence) said.push(sentence)
      }
      if (!changed) return
      current.current = next
      setConsensus(next)
      if (said.length > 0)
        announce(said.length > 3 ? `${said.length} clauses changed status` : said.join('. '))
    },
    [announce],
  )

  useEffect(() => {
    if (live) apply(Object.values(live))
  }, [live, apply])

  const record = useCallback((section: Section) => apply([sectionStateOf(section)]), [apply])
  const ids = useMemo(() => outline.map((entry) => entry.id), [outline])
  const progress = useMemo(() => progressOf(ids, consensus), [ids, consensus])
  return { consensus, progress, record }
}
