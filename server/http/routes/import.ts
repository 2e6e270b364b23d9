/**
 * API.md "Versions and import": `POST /api/deliverables/import`, a multipart form (`file`, `groupId`, `type`,
 * `title?`) read by busboy with limits: one file of at most MAX_UPLOAD_BYTES (413 beyond), a few short fields.
 */
import { Router } from 'express'
import { z } from 'zod'
import { fields } from '../../../shared/api/fields.ts'
import { DELIVERABLE_TYPES } from '../../../shared/domain/types.ts'
import type { AppContext } from '../../context.ts'
import { ValidationError } from '../../errors.ts'
import { ImportService } from '../../import/importService.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentDeliverable } from '../presenters.ts'
import { receiveUpload } from '../upload.ts'
import { parseBody } from '../validation.ts'

const importFields = z.object({
  groupId: fields.id.min(1, 'groupId: must not be empty'),
  type: z.enum(DELIVERABLE_TYPES),
  title: fields.title.optional(),
})

export function importRoutes(ctx: AppContext): Router {
  const router = Router()
  const imports = new ImportService(ctx.metadata, ctx.deliverables, undefined, {
    hub: ctx.hub,
    annotations: ctx.annotations,
  })
  router.use(requireUser)

  router.post('/import', async (req, res) => {
    const user = currentUser(req)
    const upload = await receiveUpload(req, res, 'the fields file, groupId and type')
    if (!upload) return
    const input = parseBody(importFields, upload.fields)
    imports.authorize(user, input.groupId)
    if (!upload.file || upload.file.length === 0) throw new ValidationError('file: attach a .docx file.')
    const { deliverable, report } = await imports.import(user, {
      file: upload.file,
      fileName: upload.fileName,
      groupId: input.groupId,
      type: input.type,
      ...(input.title ? { title: input.title } : {}),
    })
    res
      .status(201)
      .json({ deliverable: presentDeliverable(deliverable, user, ctx.metadata, null), import: report })
  })

  return router
}
