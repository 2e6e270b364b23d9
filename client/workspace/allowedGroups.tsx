/**
 * The groups in which the signed-in user may do one thing (create a deliverable, import one, plan a meeting): what
 * a form that acts in one group offers in its group select. The server decides again on submit.
 */
import type { FormEvent, ReactNode } from 'react'
import type { GroupAction } from '../../shared/domain/policy.ts'
import { api } from '../api/endpoints.ts'
import type { ApiGroup } from '../api/types.ts'
import { type Resource, useResource } from '../api/useResource.ts'
import { EmptyState, ErrorNote, Loading } from '../shell/ui.tsx'

/** What a form page says instead of its form when no group allows its action. */
const REFUSALS = {
  'create-deliverable': 'You cannot create deliverables: only administrators and chairs of a group can.',
  'import-deliverable': 'You cannot import: only administrators and chairs of a group can.',
} as const satisfies Partial<Record<GroupAction, string>>

export interface AllowedGroups<Action extends GroupAction = GroupAction> {
  ability: Action
  /** Every group the user can see, as loaded. */
  all: Resource<{ groups: ApiGroup[] }>
  /** The groups whose abilities grant `ability`; empty while loading. */
  allowed: ApiGroup[]
}

export function useAllowedGroups<Action extends GroupAction>(ability: Action): AllowedGroups<Action> {
  const all = useResource(() => api.groups(), [])
  const allowed = all.data?.groups.filter((g) => g.abilities[ability]) ?? []
  return { ability, all, allowed }
}

/**
 * A form that acts in one of the allowed groups: above it, the groups loading or why they did not load; instead of
 * it, why the user may not, when no group allows its action.
 */
export function AllowedGroupsForm({
  ability,
  all,
  allowed,
  onSubmit,
  children,
}: AllowedGroups<keyof typeof REFUSALS> & {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void
  children: ReactNode
}) {
  return (
    <>
      {all.loading && <Loading what="groups" />}
      <ErrorNote error={all.error} />
      {all.data && allowed.length === 0 && (
        <EmptyState>
          <p>{REFUSALS[ability]}</p>
        </EmptyState>
      )}
      {allowed.length > 0 && (
        <form className="form-card" onSubmit={onSubmit}>
          {children}
        </form>
      )}
    </>
  )
}
