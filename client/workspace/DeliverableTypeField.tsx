import { DELIVERABLE_TYPES } from '../../shared/domain/types.ts'
import { DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { choicesOf, SelectField } from '../shell/ui.tsx'

const TYPE_CHOICES = choicesOf(DELIVERABLE_TYPES, DELIVERABLE_TYPE_LABELS)

/** The `type` select of a form that makes a deliverable (new or imported); a technical report unless chosen. */
export function DeliverableTypeField({ hint }: { hint?: string }) {
  return (
    <SelectField
      label="Type"
      name="type"
      defaultValue="technical-report"
      hint={hint}
      choices={TYPE_CHOICES}
    />
  )
}
