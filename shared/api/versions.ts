/**
 * API.md "Versions and import" (named versions) and docs/API.md "Versions": the body that saves a version and
 * the shapes the server answers, read as they are by the client's Versions screen.
 */
import { z } from 'zod'
import type { VersionClause } from '../versions/clauseRecord.ts'
import type { Comparison } from '../versions/compare.ts'
import { fields } from './fields.ts'

export const saveVersionBody = z.object({ name: fields.title })
export type SaveVersionBody = z.infer<typeof saveVersionBody>

/** Why a version was saved: by someone, or by the product at a milestone. */
export type VersionOrigin = 'saved' | 'all-agreed' | 'meeting-closed'

/** One side of a comparison: a version, or the present document (`now`). */
export interface ComparedSide {
  id: string
  name: string
  createdAt: string
}

/**
 * A version in lists: `{id, name, createdAt}` as API.md names them (the side it stands for in a comparison), and
 * who or what saved it.
 */
export interface ApiVersion extends ComparedSide {
  /** The user who saved it; null when the product saved it. */
  createdBy: string | null
  origin: VersionOrigin
}

/** One version, for its read-only view: every clause with its number, title, text, status and hash then. */
export interface ApiVersionDetail extends ApiVersion {
  clauses: VersionClause[]
}

export interface ApiComparison extends Comparison {
  from: ComparedSide
  to: ComparedSide
}

/** `to=now` compares a version with the present document. */
export { NOW } from './constants.ts'
