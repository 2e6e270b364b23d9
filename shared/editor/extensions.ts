/**
 * The editor schema, used by the browser editor and by the server (seeding, export, checks), so that both sides
 * read and write exactly the same document shape.
 */
import { type AnyExtension, getSchema } from '@tiptap/core'
import Subscript from '@tiptap/extension-subscript'
import Superscript from '@tiptap/extension-superscript'
import { TableKit } from '@tiptap/extension-table'
import type { Schema } from '@tiptap/pm/model'
import StarterKit from '@tiptap/starter-kit'
import { AccordDocument, Clause, ClauseHeading } from './clauseNodes.ts'
import { entryNodes } from './entryNodes.ts'

/** The Y.XmlFragment that holds a deliverable's body in its Y.Doc. */
export const BODY_FIELD = 'body'

export const SAFE_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const

export function accordSchemaExtensions(): AnyExtension[] {
  return [
    AccordDocument,
    StarterKit.configure({
      document: false,
      heading: false,
      code: false,
      codeBlock: false,
      blockquote: false,
      horizontalRule: false,
      // The collaboration undo manager replaces the local history (own changes only).
      undoRedo: false,
      // It would write an empty paragraph into the shared document on every client: no client-side content.
      trailingNode: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: [],
        defaultProtocol: 'https',
        isAllowedUri: (url) => isSafeUrl(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
      },
    }),
    Subscript,
    Superscript,
    TableKit.configure({ table: { resizable: false } }),
    Clause,
    ClauseHeading,
    ...entryNodes,
  ]
}

/** Only web and mail links: never `javascript:`, `data:` or other active schemes. */
export function isSafeUrl(url: string): boolean {
  const trimmed = url.trim()
  // Relative links and fragments carry no scheme of their own.
  if (/^[#/]/.test(trimmed)) return !trimmed.startsWith('//')
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed)
  if (!match) return true
  return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(match[1]!.toLowerCase())
}

let cachedSchema: Schema | undefined
export function accordSchema(): Schema {
  cachedSchema ??= getSchema(accordSchemaExtensions())
  return cachedSchema
}
