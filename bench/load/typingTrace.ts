/**
 * Slices of a real sequential trace for typists: the text at the slice's start (typed at once before
 * measuring) and the transactions that follow, replayed keystroke by keystroke.
 */
import { loadTrace, type Patch, type SequentialTrace } from '../../test/support/traces.ts'

export interface TraceSlice {
  prefix: string
  txns: Patch[][]
}

/** Applies patches to a plain string (ASCII traces: positions are string indexes). */
export function applyToString(text: string, patches: Patch[]): string {
  let result = text
  for (const [position, deleteCount, insert] of patches)
    result = result.slice(0, position) + insert + result.slice(position + deleteCount)
  return result
}

/** `count` slices of `length` transactions of the trace, the i-th starting at `start + i * stride`. */
export function traceSlices(
  name: string,
  count: number,
  options: { start: number; stride: number; length: number },
): TraceSlice[] {
  const trace = loadTrace<SequentialTrace>(name)
  const starts = Array.from({ length: count }, (_, i) => options.start + i * options.stride)
  const slices: TraceSlice[] = []
  let text = trace.startContent
  let next = 0
  for (const start of starts) {
    for (; next < start; next++) text = applyToString(text, trace.txns[next]!.patches)
    slices.push({
      prefix: text,
      txns: trace.txns.slice(start, start + options.length).map((t) => t.patches),
    })
  }
  return slices
}
