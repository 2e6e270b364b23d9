/**
 * What the editor knows of consensus: each clause's status, which clauses are locked (agreed) and which may never
 * be removed (required). It comes from the server (the API's sections, then the live `consensus` messages) and
 * is never written into the document; plugins read it from this plugin's state, and the screen pushes changes in
 * with `setConsensusState`.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type { SectionStatus } from '../../shared/domain/types.ts'
import type { SectionState } from '../../shared/protocol/messages.ts'

export interface ConsensusView {
  /** Agreed clauses: neither their heading nor their own content may change. */
  locked: ReadonlySet<string>
  /** Clauses 2 to 5, as the server says: never removed. */
  required: ReadonlySet<string>
  statuses: Readonly<Record<string, SectionStatus>>
}

/** The one place where the client reads locks from the sections it is sent: a clause is locked while agreed. */
export function consensusViewOf(
  sections: Iterable<Pick<SectionState, 'id' | 'status' | 'required'>>,
): ConsensusView {
  const locked = new Set<string>()
  const required = new Set<string>()
  const statuses: Record<string, SectionStatus> = {}
  for (const section of sections) {
    statuses[section.id] = section.status
    if (section.status === 'agreed') locked.add(section.id)
    if (section.required) required.add(section.id)
  }
  return { locked, required, statuses }
}

export const consensusKey = new PluginKey<ConsensusView>('accordConsensus')

const empty: ConsensusView = { locked: new Set(), required: new Set(), statuses: {} }

export function consensusOf(state: Parameters<typeof consensusKey.getState>[0]): ConsensusView {
  return consensusKey.getState(state) ?? empty
}

export function setConsensusState(view: EditorView, next: ConsensusView): void {
  // Not a document change: must not enter the undo history or the shared document.
  view.dispatch(view.state.tr.setMeta(consensusKey, next).setMeta('addToHistory', false))
}

/** Holds the last view pushed in with `setConsensusState`. */
const consensusPlugin = () =>
  new Plugin<ConsensusView>({
    key: consensusKey,
    state: {
      init: () => empty,
      apply: (tr, value) => (tr.getMeta(consensusKey) as ConsensusView | undefined) ?? value,
    },
  })

export const ConsensusState = Extension.create({
  name: 'accordConsensus',
  addProseMirrorPlugins: () => [consensusPlugin()],
})
