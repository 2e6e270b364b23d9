/** API.md "Export": `GET /api/deliverables/:id/export?format=docx|pdf|html|md[&agreedOnly=true][&marks=<versionId>]`. */
import { Router } from 'express'
import { documentHeaderBody, exportQuery } from '../../../shared/api/export.ts'
import { mayOnDeliverable } from '../../../shared/domain/policy.ts'
import type { AppContext } from '../../context.ts'
import { AuthorizationError, NotFoundError, ValidationError } from '../../errors.ts'
import { ExportService } from '../../export/exportService.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { parseBody, routeId } from '../validation.ts'

export function exportRoutes(ctx: AppContext): Router {
  const router = Router()
  const exports = new ExportService(ctx)
  router.use(requireUser)

  router.get('/:id/export', async (req, res) => {
    const user = currentUser(req)
    const deliverable = ctx.deliverables.visible(user, routeId(req.params.id))
    if (!mayOnDeliverable(user, 'export', deliverable, ctx.metadata.groupLookup))
      throw new AuthorizationError('Your role on this deliverable does not allow exporting it.')
    const query = parseBody(exportQuery, req.query)
    const annotations = query.annotations === 'true'
    if (annotations) checkAnnotationsQuery(query)
    let from: Uint8Array | undefined
    if (query.marks !== undefined) {
      from = (await ctx.versions.stateOf(deliverable.id, routeId(query.marks))) ?? undefined
      if (!from) throw new NotFoundError('version not found')
    }
    const file = await exports.export(deliverable, {
      format: query.format,
      agreedOnly: query.agreedOnly === 'true',
      annotations,
      ...(from ? { from } : {}),
    })
    res.setHeader('Content-Type', file.contentType)
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`)
    res.setHeader('Cache-Control', 'no-store')
    res.send(file.bytes)
  })

  /** The document header of the deliverable's exports; those who may change its text set it. */
  router.put('/:id/export-header', async (req, res) => {
    const user = currentUser(req)
    const deliverable = ctx.deliverables.visible(user, routeId(req.params.id))
    if (!mayOnDeliverable(user, 'edit-text', deliverable, ctx.metadata.groupLookup))
      throw new AuthorizationError('Only those who may change the text set its document header.')
    const body = parseBody(documentHeaderBody, req.body)
    await ctx.metadata.update(() => {
      const header = { ...deliverable.header }
      for (const [key, value] of Object.entries(body) as [keyof typeof header, unknown][]) {
        if (value === '' || (Array.isArray(value) && value.length === 0)) delete header[key]
        else Object.assign(header, { [key]: value })
      }
      deliverable.header = header
    })
    res.json({ header: deliverable.header })
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
