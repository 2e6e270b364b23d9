/** The named steps every incoming update passes, in order; the first refusal wins. */
import type { CheckContext, UpdateCheck, Verdict } from './types.ts'
import { ACCEPT } from './types.ts'

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
