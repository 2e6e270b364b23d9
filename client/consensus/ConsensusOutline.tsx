/**
 * The outline with consensus filters above it. Choosing a clause in the tree (focus or click) selects it for the
 * consensus panel, also for readers who have no cursor in the text.
 */
import type { Editor } from '@tiptap/core'
import { type FocusEvent, type MouseEvent, useMemo, useState } from 'react'
import { OutlineTree } from '../editor/OutlineTree.tsx'
import type { OutlineRow } from '../editor/outline.ts'
import { OutlineFilters } from './OutlineFilters.tsx'
import { filterOutline, NO_FILTER, type OutlineFilter } from './outlineFilter.ts'
import type { ConsensusController } from './useConsensusController.ts'

interface Props {
  outline: OutlineRow[]
  editor: Editor | null
  controller: ConsensusController
  labelledBy: string
}

export function ConsensusOutline({ outline, editor, controller, labelledBy }: Props) {
  const [filter, setFilter] = useState<OutlineFilter>(NO_FILTER)
  const filtered = useMemo(
    () => filterOutline(outline, controller.clauses, filter),
    [outline, controller.clauses, filter],
  )
  const { select } = controller
  const selectFrom = (event: FocusEvent | MouseEvent) => {
    const target = event.target instanceof Element ? event.target : null
    const id = target?.closest('[role="treeitem"]')?.getAttribute('data-clause-id')
    if (id) select(id)
  }
  return (
    <>
      <OutlineFilters
        filter={filter}
        onChange={setFilter}
        matching={filtered.matching}
        total={outline.length}
      />
      {/* Listens to the tree's own items (keyboard reaches them by focus); it adds no behaviour of its own. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: see above */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: see above */}
      <div onFocus={selectFrom} onClick={selectFrom}>
        {filtered.entries.length === 0 && outline.length > 0 ? (
          <p className="hint">No clause matches these filters.</p>
        ) : (
          <OutlineTree
            outline={filtered.entries}
            statuses={controller.view.statuses}
            objections={controller.objectionCounts}
            editor={editor}
            labelledBy={labelledBy}
          />
        )}
      </div>
    </>
  )
}
