/**
 * The update check pipeline (SYNC.md §2): every sync step 2 and update is decoded and checked by named steps
 * before anything is applied. Each step answers from the update and the read-only store; none mutates.
 */
import type * as Y from 'yjs'
import type { RefusalReason } from '../../../shared/protocol/messages.ts'
import type { DecodedUpdate } from './decodedUpdate.ts'

export interface CheckContext {
  doc: Y.Doc
  update: DecodedUpdate
  canEdit: boolean
}

export type Verdict =
  | { ok: true }
  | { ok: false; reason: RefusalReason; message: string; sectionIds?: string[] }

export interface UpdateCheck {
  name: string
  check(context: CheckContext): Verdict
}

export const ACCEPT: Verdict = { ok: true }
