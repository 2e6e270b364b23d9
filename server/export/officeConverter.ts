/**
 * Conversions by LibreOffice headless (`soffice --convert-to`): .docx to PDF for readers without Word (and to text,
 * for the tests). Each conversion runs in its own temporary folder with its own user profile (two conversions
 * never share LibreOffice's lock), as a child process with a timeout, so that the event loop is never blocked;
 * one at a time, since each takes a core and some hundred megabytes.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { SerialQueue } from '../serialQueue.ts'

export class ConversionError extends Error {}

const queue = new SerialQueue()

export interface ConvertOptions {
  /** `pdf`, `txt:Text (encoded):UTF8`, `docx`... as soffice's --convert-to takes it. */
  to: string
  /** The input's file name extension: docx, html... */
  from: string
  timeoutMs?: number
  binary?: string
}

export function convertWithOffice(input: Uint8Array, options: ConvertOptions): Promise<Buffer> {
  return queue.run(() => convertNow(input, options))
}

async function convertNow(input: Uint8Array, options: ConvertOptions): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'accord-office-'))
  try {
    const source = path.join(dir, `document.${options.from}`)
    await writeFile(source, input)
    const profile = pathToFileURL(path.join(dir, 'profile')).href
    await new Promise<void>((resolve, reject) => {
      execFile(
        options.binary ?? process.env.SOFFICE ?? 'soffice',
        [
          `-env:UserInstallation=${profile}`,
          '--headless',
          '--norestore',
          '--convert-to',
          options.to,
          '--outdir',
          path.join(dir, 'out'),
          source,
        ],
        { timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
        (error) =>
          error
            ? reject(new ConversionError(`LibreOffice could not convert the document: ${error.message}`))
            : resolve(),
      )
    })
    const extension = options.to.split(':')[0]!
    return await readFile(path.join(dir, 'out', `document.${extension}`)).catch(() => {
      throw new ConversionError('LibreOffice produced no output.')
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
