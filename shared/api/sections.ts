/**
 * API.md "Groups and deliverables", the section part: a section is the API's word for a clause of the deliverable
 * (docs/GLOSSARY.md), presented with its consensus state. The server builds it from the live document and the
 * decision record (`server/domain/sections.ts`); the client reads it as is, and takes `required` and `status` from
 * it instead of deriving them.
 */
import type { Objection, SectionStatus } from '../domain/types.ts'
import type { SectionState } from '../protocol/messages.ts'

export interface Section {
  /** The clause's `id` attribute. */
  id: string
  /** As printed: "3.2", "Annex A", "A.1", or "" for an unnumbered clause. */
  number: string
  title: string
  /** 1 for a top-level clause. */
  level: number
  status: SectionStatus
  /** One of clauses 2 to 5, which may never be removed: the server knows them by their element's Yjs item id. */
  required: boolean
  /** The clause's own plain text (heading and sub-clauses excluded). */
  text: string
  /** `"sha256-" + hex`: the digest of the clause's canonical content (API.md "hash"). */
  hash: string
  objections: Objection[]
  agreedAt: string | null
  /** The plain text of the last agreement, kept after a reopen: the base of the redline. */
  lastAgreedText: string | null
  /** The canonical content of the last agreement, kept after a reopen. */
  lastAgreedContent: string | null
}

/** The part of a section that the live connection sends (`consensus` messages), as an action's answer gives it. */
export function sectionStateOf(section: Section): SectionState {
  return {
    id: section.id,
    status: section.status,
    required: section.required,
    hash: section.hash,
    objections: section.objections,
    agreedHash: section.status === 'agreed' ? section.hash : null,
  }
}
