/** The deliverable a route's `:id` names, as every deliverable route starts: with the caller, who must see it. */
import type { Request } from 'express'
import type { ResolvedSession } from '../auth/sessions.ts'
import type { DeliverableService } from '../domain/deliverableService.ts'
import type { StoredDeliverable } from '../storage/metadataStore.ts'
import { currentUser } from './middleware.ts'
import { routeId } from './validation.ts'

export interface Caller {
  user: ResolvedSession['user']
  deliverable: StoredDeliverable
}

/** 401 without a session; 404 for a malformed id or a deliverable the caller may not see (existence not revealed). */
export function routeDeliverable(req: Request, deliverables: DeliverableService): Caller {
  const user = currentUser(req)
  return { user, deliverable: deliverables.visible(user, routeId(req.params.id)) }
}
