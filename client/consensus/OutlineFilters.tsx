import { useId } from 'react'
import { SECTION_STATUSES, type SectionStatus } from '../../shared/domain/types.ts'
import { Choices, choicesOf } from '../shell/ui.tsx'
import { STATUS_LABELS } from './clauseConsensus.ts'
import { isFiltering, NO_FILTER, type OutlineFilter } from './outlineFilter.ts'

const STATUS_CHOICES = choicesOf(SECTION_STATUSES, STATUS_LABELS)

interface Props {
  filter: OutlineFilter
  onChange: (filter: OutlineFilter) => void
  matching: number
  total: number
}

/** Narrows the outline to clauses with open objections and/or of one status; says how many are shown. */
export function OutlineFilters({ filter, onChange, matching, total }: Props) {
  const id = useId()
  return (
    <fieldset className="outline-filters">
      <legend className="visually-hidden">Filter clauses</legend>
      <div className="filter-row">
        <input
          type="checkbox"
          id={`${id}-objections`}
          checked={filter.objectionsOnly}
          onChange={(event) => onChange({ ...filter, objectionsOnly: event.target.checked })}
        />
        <label htmlFor={`${id}-objections`}>Open objections only</label>
      </div>
      <div className="filter-row">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value as SectionStatus | 'all' })}
        >
          <option value="all">All</option>
          <Choices choices={STATUS_CHOICES} />
        </select>
      </div>
      <p className="filter-count small muted" aria-live="polite">
        {isFiltering(filter) && (
          <>
            {matching} of {total} clauses match{' '}
            <button type="button" className="link-button" onClick={() => onChange(NO_FILTER)}>
              Clear filters
            </button>
          </>
        )}
      </p>
    </fieldset>
  )
}
