/**
 * What the editor knows of consensus: which clauses are agreed (locked) and each clause's status. It comes from
 * the server (welcome, consensus messages, the API) and is never written into the document; plugins read it from
 * this plugin's state, and the screen pushes changes in with `setConsensusState`.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type { SectionStatus } from '../../shared/domain/types.ts'

export interface ConsensusView {
  locked: ReadonlySet<string>
  statuses: Readonly<Record<string, SectionStatus>>
}

export const consensusKey = new PluginKey<ConsensusView>('accordConsensus')

const empty: ConsensusView = { locked: new Set(), statuses: {} }

export function consensusOf(state: Parameters<typeof consensusKey.getState>[0]): ConsensusView {
  return consensusKey.getState(state) ?? empty
}

export function setConsensusState(view: EditorView, next: ConsensusView): void {
  // Not a document change: must not enter the undo history or the shared document.
  view.dispatch(view.state.tr.setMeta(consensusKey, next).setMeta('addToHistory', false))
}

export const ConsensusState = Extension.create({
  name: 'accordConsensus',
  addProseMirrorPlugins() {
    return [
      new Plugin<ConsensusView>({
        key: consensusKey,
        state: {
          init: () => empty,
          apply: (tr, value) => (tr.getMeta(consensusKey) as ConsensusView | undefined) ?? value,
        },
      }),
    ]
  },
})
