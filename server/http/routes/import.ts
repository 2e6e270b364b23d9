/**
 * API.md "Versions and import": `POST /api/deliverables/import`, a multipart form (`file`, `groupId`, `type`,
 * `title?`) read by busboy with limits: one file of at most MAX_UPLOAD_BYTES (413 beyond), a few short fields.
 */
import busboy from 'busboy'
import { type Request, Router } from 'express'
import { z } from 'zod'
import { fields } from '../../../shared/api/fields.ts'
import { DELIVERABLE_TYPES } from '../../../shared/domain/types.ts'
import type { AppContext } from '../../context.ts'
import { DomainError, ValidationError } from '../../errors.ts'
import { ImportService } from '../../import/importService.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentDeliverable } from '../presenters.ts'
import { parseBody } from '../validation.ts'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

const importFields = z.object({
  groupId: fields.id.min(1, 'groupId: must not be empty'),
  type: z.enum(DELIVERABLE_TYPES),
  title: fields.title.optional(),
})

export class PayloadTooLarge extends DomainError {}
const tooLarge = `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, the limit of an import.`

interface Upload {
  fields: Record<string, string>
  file: Buffer | null
  fileName: string
}

function readUpload(req: Request): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
      })
    } catch {
      reject(
        new ValidationError(
          'Send the file as a multipart form (multipart/form-data) with the fields file, groupId and type.',
        ),
      )
      return
    }
    const upload: Upload = { fields: {}, file: null, fileName: '' }
    let failure: Error | null = null
    parser.on('field', (name, value) => {
      upload.fields[name] = value
    })
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume()
        return
      }
      const chunks: Buffer[] = []
      upload.fileName = info.filename ?? ''
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => {
        failure = new PayloadTooLarge(tooLarge)
      })
      stream.on('end', () => {
        upload.file = Buffer.concat(chunks)
      })
    })
    parser.on('error', () => reject(new ValidationError('The multipart form could not be read.')))
    parser.on('close', () => (failure ? reject(failure) : resolve(upload)))
    req.pipe(parser)
  })
}

function discardBody(req: Request): Promise<void> {
  return new Promise((resolve) => {
    req.on('end', resolve)
    req.on('close', resolve)
    req.resume()
  })
}

export function importRoutes(ctx: AppContext): Router {
  const router = Router()
  const imports = new ImportService(ctx.metadata, ctx.deliverables, undefined, {
    hub: ctx.hub,
    annotations: ctx.annotations,
  })
  router.use(requireUser)

  router.post('/import', async (req, res) => {
    const user = currentUser(req)
    const declared = Number(req.headers['content-length'] ?? 0)
    let upload: Upload
    try {
      // Over the limit as declared: the body is read and discarded (answering before it is read makes clients see
      // a reset connection instead of the 413), unless far too large to be worth reading.
      if (declared > MAX_UPLOAD_BYTES + 64 * 1024) {
        if (declared > 8 * MAX_UPLOAD_BYTES) res.setHeader('Connection', 'close')
        else await discardBody(req)
        throw new PayloadTooLarge(tooLarge)
      }
      upload = await readUpload(req)
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        res.status(413).json({ error: { code: 'payload_too_large', message: error.message } })
        return
      }
      throw error
    }
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
