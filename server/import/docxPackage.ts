/**
 * Opening an uploaded .docx safely: a zip whose entries are counted and whose declared sizes are summed before
 * anything is inflated (a zip bomb is refused, not unpacked), each entry inflated into a buffer of its declared
 * size at most, and a Word document's parts present. What the rest of the import reads is a new package holding
 * only the parts a text needs (document, styles, numbering, relationships, comments): macros, ActiveX controls,
 * embedded objects and the like never go further.
 */
import { unzipSync, zipSync } from 'fflate'

export class DocxRefused extends Error {}

export interface PackageLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number
  maxEntries: number
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxUncompressedBytes: 60 * 1024 * 1024,
  maxEntries: 2000,
}

export interface DocxPackage {
  /** The cleaned package, for mammoth. */
  clean: Uint8Array
  /** The text of a part (UTF-8), or null when absent. */
  part(name: string): string | null
  /** Names of the parts left out (macros, embedded objects, media...). */
  leftOut: string[]
  /** The cleaned package with one part's text replaced. */
  withPart(name: string, text: string): Uint8Array
}

const KEPT = [
  /^\[Content_Types\]\.xml$/,
  /^_rels\/\.rels$/,
  /^word\/(document|styles|numbering|comments|commentsExtended|settings|fontTable|footnotes|endnotes)\.xml$/,
  /^word\/_rels\/document\.xml\.rels$/,
  /^word\/theme\/theme\d*\.xml$/,
  /^docProps\/(core|app)\.xml$/,
]

export function openDocx(bytes: Uint8Array, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): DocxPackage {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    throw new DocxRefused(
      'The file is not a .docx (it is not a zip package); save it from Word as .docx and try again.',
    )
  let entries = 0
  let declared = 0
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        entries += 1
        declared += file.originalSize
        if (entries > limits.maxEntries)
          throw new DocxRefused(
            `The file holds more than ${limits.maxEntries} parts; a Word document has far fewer.`,
          )
        if (declared > limits.maxUncompressedBytes)
          throw new DocxRefused(
            `The file would unpack to more than ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB (a zip bomb or a document far larger than any text); it was not opened.`,
          )
        return true
      },
    })
  } catch (error) {
    if (error instanceof DocxRefused) throw error
    throw new DocxRefused('The file is not a valid .docx: its zip package is damaged.')
  }
  if (!files['word/document.xml'] || !files['[Content_Types].xml'])
    throw new DocxRefused(
      'The file is a zip package but not a Word document (.docx): it has no word/document.xml.',
    )
  const kept: Record<string, Uint8Array> = {}
  const leftOut: string[] = []
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) continue
    if (KEPT.some((pattern) => pattern.test(name))) kept[name] = data
    else leftOut.push(name)
  }
  const decoder = new TextDecoder('utf-8')
  return {
    clean: zipSync(kept, { level: 1 }),
    part: (name) => (kept[name] ? decoder.decode(kept[name]) : null),
    leftOut,
    withPart: (name, text) => zipSync({ ...kept, [name]: new TextEncoder().encode(text) }, { level: 1 }),
  }
}
