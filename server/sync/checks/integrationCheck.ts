/** Step: the update must integrate completely, where Yjs would put it (see integration.ts); else refused. */
import { IntegrationError } from './integration.ts'
import { ACCEPT, type UpdateCheck } from './types.ts'

export const integrationCheck: UpdateCheck = {
  name: 'integration',
  check(context) {
    try {
      context.integration()
      return ACCEPT
    } catch (error) {
      if (!(error instanceof IntegrationError)) throw error
      return { ok: false, reason: 'resync-required', message: error.message }
    }
  },
}
