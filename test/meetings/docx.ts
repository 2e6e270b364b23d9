/** Reads a .docx back with a real reader: unzip's copy of word/document.xml, as text. */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** The text of a .docx's body: every w:t run, paragraphs and cells on their own lines. */
export async function docxText(bytes: ArrayBuffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'accord-report-'))
  try {
    const file = path.join(dir, 'report.docx')
    await writeFile(file, Buffer.from(bytes))
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8')
    return xml
      .replace(/<\/w:p>/g, '\n')
      .replace(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
