/**
 * In a cluster, a request about one deliverable (`/api/deliverables/:id/...`: consensus actions, annotations,
 * versions, exports) is served by the node that owns its document, whichever node the balancer picked: the
 * consensus locks, the live text and the decision record are in that process only. This node forwards the request
 * as it came (cookie and body untouched; the owner authenticates and authorizes it again) and streams the answer
 * back. A forwarded request is never forwarded again: if ownership moved meanwhile, it is served here (the hub
 * takes the lease, or answers 503 "moving"); it is served after this node read the metadata again.
 */
import type { IncomingMessage } from 'node:http'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { createProxyMiddleware } from 'http-proxy-middleware'
import { isWellFormedId } from '../../shared/domain/ids.ts'
import type { ClusterNode } from '../cluster/clusterNode.ts'
import type { Logger } from '../logger.ts'
import { MOVING } from './errors.ts'

const FORWARDED_BY = 'x-accord-forwarded-by'

type Forwarded = IncomingMessage & { ownerUrl?: string }

/** The document a request is about (its owner serves it), or null: served here. */
export type DocumentOfRequest = (req: Request) => string | null

/** `/api/deliverables/:id/...`: the deliverable's own document. */
export const deliverableParam: DocumentOfRequest = (req) => {
  const id = String(req.params.id ?? '')
  return isWellFormedId(id) ? id : null
}

export function forwardToOwner(
  cluster: ClusterNode,
  logger: Logger,
  documentOf: DocumentOfRequest = deliverableParam,
): RequestHandler {
  const proxy = createProxyMiddleware<Request, Response>({
    router: (req) => (req as Forwarded).ownerUrl ?? '',
    changeOrigin: false,
    xfwd: true,
    on: {
      error: (error, req, res) => {
        logger.warn({ err: error, url: req.url }, 'forwarding to the owner failed')
        const response = res as Response
        if (!response.headersSent) response.status(503).setHeader('Retry-After', '1')
        response.end(JSON.stringify({ error: { code: 'document_moving', message: MOVING } }))
      },
    },
  })
  return (req: Request, res: Response, next: NextFunction) => {
    // The forwarding node may have written what the request is about a moment ago (a meeting created there): its
    // write committed before it forwarded, so one more read here finds it. Reads are shared by concurrent calls.
    // Checked first: before that read, this node may not even know what the request is about.
    if (req.headers[FORWARDED_BY]) return void cluster.metadataSync.refresh().then(() => next())
    const id = documentOf(req)
    if (id === null) return next()
    cluster.where(id).then(
      (where) => {
        if (where.kind === 'local') return next()
        if (where.kind === 'unavailable') {
          res.setHeader('Retry-After', String(where.retryAfterSeconds))
          res.status(503).json({ error: { code: 'document_moving', message: MOVING } })
          return
        }
        req.headers[FORWARDED_BY] = cluster.nodeId
        ;(req as Forwarded).ownerUrl = where.url
        // Mounted under /api/deliverables/:id, Express trimmed the path: the owner needs all of it.
        req.url = req.originalUrl
        void proxy(req, res, next)
      },
      // The leases cannot be read (database down): served here, where the hub refuses with the reason.
      () => next(),
    )
  }
}
