/** Step 2: may this connection write at all? */
import { ACCEPT, type UpdateCheck } from './types.ts'

export const permissionCheck: UpdateCheck = {
  name: 'permission',
  check: ({ sender }) =>
    sender.canEdit
      ? ACCEPT
      : { ok: false, reason: 'read-only', message: 'You may read this deliverable but not change it.' },
}
