/** API.md "Export": `GET /api/deliverables/:id/export?format=docx|pdf|html|md[&agreedOnly=true][&marks=<versionId>]`. */
import { Router } from 'express'
import { documentHeaderBody, exportQuery } from '../../../shared/api/export.ts'
import type { AppContext } from '../../context.ts'
import { ValidationError } from '../../errors.ts'
import { ExportService } from '../../export/exportService.ts'
import { requireUser } from '../middleware.ts'
import { routeDeliverable } from '../routeDeliverable.ts'
import { parseBody, routeId } from '../validation.ts'

export function exportRoutes(ctx: AppContext): Router {
  const router = Router()
  const exports = new ExportService(ctx)
  router.use(requireUser)

  router.get('/:id/export', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, ctx.deliverables)
    const query = parseBody(exportQuery, req.query)
    const annotations = query.annotations === 'true'
    if (annotations) checkAnnotationsQuery(query)
    const file = await exports.exportFor(user, deliverable, {
      format: query.format,
      agreedOnly: query.agreedOnly === 'true',
      annotations,
      ...(query.marks !== undefined ? { marksFrom: routeId(query.marks) } : {}),
    })
    res.setHeader('Content-Type', file.contentType)
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`)
    res.setHeader('Cache-Control', 'no-store')
    res.send(file.bytes)
  })

  /** The document header of the deliverable's exports; those who may change its text set it. */
  router.put('/:id/export-header', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, ctx.deliverables)
    const change = parseBody(documentHeaderBody, req.body)
    res.json({ header: await ctx.deliverables.setExportHeader(user, deliverable, change) })
  })

  return router
}

/** Open suggestions and comments go into a Word file only, and not beside a version's revision marks. */
function checkAnnotationsQuery(query: { format: string; marks?: string | undefined }): void {
  if (query.format !== 'docx' && query.format !== 'pdf')
    throw new ValidationError('annotations: Word comments and tracked changes exist only in docx (and pdf).')
  if (query.marks !== undefined)
    throw new ValidationError(
      'annotations: not with marks; both would be Word tracked changes that nobody could tell apart.',
    )
}
