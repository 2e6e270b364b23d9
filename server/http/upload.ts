/**
 * Receiving one uploaded file in a multipart form (the Word import, a contribution's .docx): read by busboy with
 * limits (one file of at most MAX_UPLOAD_BYTES, a few short fields), 413 beyond the limit, 400 for a body that is
 * not such a form. Nothing is written anywhere here: the caller checks the bytes before it keeps them.
 */
import busboy from 'busboy'
import type { Request, Response } from 'express'
import { DomainError, ValidationError } from '../errors.ts'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

export class PayloadTooLarge extends DomainError {}
const tooLarge = `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, the limit of an upload.`

export interface Upload {
  fields: Record<string, string>
  /** The part named `file`; null when the form has none. */
  file: Buffer | null
  fileName: string
}

/** `expected` completes "Send the file as a multipart form (multipart/form-data) with …" for a wrong body. */
function readUpload(req: Request, expected: string): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send a file name in UTF-8; busboy's default (latin1) would garble "é".
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
      })
    } catch {
      reject(new ValidationError(`Send the file as a multipart form (multipart/form-data) with ${expected}.`))
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

/**
 * The upload of this request; null once a 413 has been answered (the caller stops there). Other refusals are
 * thrown as ValidationError.
 */
export async function receiveUpload(req: Request, res: Response, expected: string): Promise<Upload | null> {
  const declared = Number(req.headers['content-length'] ?? 0)
  try {
    // Over the limit as declared: the body is read and discarded (answering before it is read makes clients see
    // a reset connection instead of the 413), unless far too large to be worth reading.
    if (declared > MAX_UPLOAD_BYTES + 64 * 1024) {
      if (declared > 8 * MAX_UPLOAD_BYTES) res.setHeader('Connection', 'close')
      else await discardBody(req)
      throw new PayloadTooLarge(tooLarge)
    }
    return await readUpload(req, expected)
  } catch (error) {
    if (error instanceof PayloadTooLarge) {
      res.status(413).json({ error: { code: 'payload_too_large', message: error.message } })
      return null
    }
    throw error
  }
}
