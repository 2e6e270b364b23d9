/**
 * Step: whose clientIDs does the update write under? A struct under a clientID that another user owns is refused
 * (SYNC.md §2.4), and so is one under a clientID that has stored structs but no known owner (a document stored
 * before owners were recorded): nobody may continue someone else's history.
 */
import * as Y from 'yjs'
import { ACCEPT, type UpdateCheck } from './types.ts'

export const clientOwnershipCheck: UpdateCheck = {
  name: 'client-ownership',
  check({ doc, update, sender, owners }) {
    for (const client of update.byClient.keys()) {
      const owner = owners.ownerOf(client)
      const foreign = owner === undefined ? Y.getState(doc.store, client) > 0 : owner !== sender.userId
      if (foreign)
        return {
          ok: false,
          reason: 'resync-required',
          message: 'This copy of the document writes under an identity that belongs to someone else.',
        }
    }
    return ACCEPT
  },
}
