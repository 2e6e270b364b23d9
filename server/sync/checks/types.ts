/**
 * The update check pipeline (SYNC.md §2): every sync step 2 and update is normalized against the server's state
 * and checked by named steps before anything is applied. Each step answers from the update and the read-only
 * store; none mutates.
 */
import type * as Y from 'yjs'
import type { RefusalReason } from '../../../shared/protocol/messages.ts'
import type { ClientOwners } from '../clientOwners.ts'
import type { DecodedUpdate } from './decodedUpdate.ts'
import type { DocumentTree } from './documentTree.ts'
import type { Integration } from './integration.ts'

export interface Sender {
  userId: string
  canEdit: boolean
}

export interface CheckContext {
  doc: Y.Doc
  /** Normalized: only what would change the document. */
  update: DecodedUpdate
  sender: Sender
  owners: ClientOwners
  tree: DocumentTree
  /** Where Yjs will put each struct; computed once, on first use. Throws IntegrationError. */
  integration(): Integration
}

export type Refusal = { ok: false; reason: RefusalReason; message: string; sectionIds?: string[] }
export type Verdict = { ok: true } | Refusal

export interface UpdateCheck {
  name: string
  check(context: CheckContext): Verdict
}

export const ACCEPT: Verdict = { ok: true }
