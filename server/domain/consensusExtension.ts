/**
 * Consensus as an extension of every live document: agreed clauses are locked (and clauses 2 to 5 protected)
 * before any client reaches the document, and a client that says hello is welcomed with the consensus state of
 * every clause (its status, objections and whether it is required), which lives on the server and never in the
 * shared document (SYNC.md §5).
 */
import type { Logger } from '../logger.ts'
import type { DocumentExtension } from '../sync/documentHub.ts'
import type { ConsensusService } from './consensusService.ts'

export function consensusExtension(consensus: ConsensusService, logger: Logger): DocumentExtension {
  return {
    name: 'consensus',
    load: (live) => consensus.restoreLocks(live),
    hello(live, connection) {
      consensus.sectionStates(live.id).then(
        (sections) => {
          // No list of locked clauses: the consensus message gives each section's status, from which the
          // client derives its locks.
          connection.tell({
            type: 'welcome',
            version: 1,
            canEdit: connection.canEdit,
            userId: connection.user.id,
          })
          connection.tell({ type: 'consensus', sections })
        },
        (error) => logger.error({ err: error }, 'consensus state unavailable'),
      )
    },
  }
}
