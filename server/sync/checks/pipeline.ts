/**
 * The named steps every incoming update passes, in order; the first refusal wins. `UpdateChecker` is the whole
 * of SYNC.md §2 steps 2–7 for one document, usable without a server or a socket: a document, its lock table and
 * owners, an update in, a verdict and the normalized update out.
 */
import type * as Y from 'yjs'
import type { ClientOwners } from '../clientOwners.ts'
import { causalityCheck } from './causality.ts'
import { createClauseLockCheck } from './clauseLock.ts'
import { type DecodedUpdate, normalizeUpdate, UndecodableUpdateError } from './decodedUpdate.ts'
import { DocumentTree } from './documentTree.ts'
import { type Integration, planIntegration } from './integration.ts'
import { integrationCheck } from './integrationCheck.ts'
import { DEFAULT_MAX_UPDATE_STRUCTS, nestingCheck, tooLarge } from './limits.ts'
import type { LockTable } from './lockTable.ts'
import { clientOwnershipCheck } from './ownership.ts'
import { permissionCheck } from './permission.ts'
import { countStructs } from './structCount.ts'
import { ACCEPT, type CheckContext, type Sender, type UpdateCheck, type Verdict } from './types.ts'

function structCount(bytes: Uint8Array, limit: number): number {
  try {
    return countStructs(bytes, limit)
  } catch (error) {
    throw new UndecodableUpdateError((error as Error).message)
  }
}

export class UpdatePipeline {
  constructor(private readonly steps: readonly UpdateCheck[]) {}

  run(context: CheckContext): Verdict & { step?: string } {
    for (const step of this.steps) {
      const verdict = step.check(context)
      if (!verdict.ok) return { ...verdict, step: step.name }
    }
    return ACCEPT
  }
}

export type CheckResult =
  /** Nothing in the update would change the document: accepted, acknowledged, never refused. */
  | { kind: 'no-op' }
  | { kind: 'accepted'; update: DecodedUpdate; integration: Integration }
  | { kind: 'refused'; verdict: Exclude<Verdict, { ok: true }> & { step?: string } }

export class UpdateChecker {
  readonly tree = new DocumentTree()
  private readonly pipeline: UpdatePipeline

  constructor(
    private readonly doc: Y.Doc,
    locks: LockTable,
    private readonly owners: ClientOwners,
    private readonly maxStructs = DEFAULT_MAX_UPDATE_STRUCTS,
    extraChecks: readonly UpdateCheck[] = [],
  ) {
    this.pipeline = new UpdatePipeline([
      permissionCheck,
      clientOwnershipCheck,
      causalityCheck,
      integrationCheck,
      nestingCheck,
      createClauseLockCheck(locks),
      ...extraChecks,
    ])
  }

  /** Throws UndecodableUpdateError for bytes Yjs cannot read. */
  check(bytes: Uint8Array, sender: Sender): CheckResult {
    if (structCount(bytes, this.maxStructs) > this.maxStructs) {
      const refusal = tooLarge(
        `The change has more than ${this.maxStructs} parts; send it in smaller pieces.`,
      )
      return { kind: 'refused', verdict: { ...refusal, step: 'struct-count' } }
    }
    const update = normalizeUpdate(this.doc, bytes)
    if (update.empty) return { kind: 'no-op' }
    let integration: Integration | undefined
    const context: CheckContext = {
      doc: this.doc,
      update,
      sender,
      owners: this.owners,
      tree: this.tree,
      integration: () => {
        integration ??= planIntegration(this.doc, update, this.tree)
        return integration
      },
    }
    const verdict = this.pipeline.run(context)
    if (!verdict.ok) return { kind: 'refused', verdict }
    return { kind: 'accepted', update, integration: context.integration() }
  }
}
