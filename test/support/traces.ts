/**
 * The real editing traces of ../shared/data/editing-traces (README there): loading, and replaying them into
 * Yjs text the way real clients would have typed them.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import * as Y from 'yjs'

export const TRACES_DIR = path.resolve(import.meta.dirname, '../../../shared/data/editing-traces')

export type Patch = [position: number, deleteCount: number, insert: string]

export interface SequentialTrace {
  startContent: string
  endContent: string
  txns: { patches: Patch[] }[]
}

export interface ConcurrentTrace {
  kind: 'concurrent'
  endContent: string
  numAgents: number
  txns: { parents: number[]; agent: number; patches: Patch[] }[]
}

export function loadTrace<T = SequentialTrace>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(path.join(TRACES_DIR, name))).toString('utf8')) as T
}

/** Trace positions count code points; Yjs text counts UTF-16 units. */
function utf16Index(text: string, codePoints: number): number {
  let index = 0
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const code = text.charCodeAt(index)
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1
  }
  return index
}

export function applyPatches(text: Y.Text | Y.XmlText, patches: Patch[], ascii = false): void {
  for (const [position, deleteCount, insert] of patches) {
    if (ascii) {
      if (deleteCount > 0) text.delete(position, deleteCount)
      if (insert) text.insert(position, insert)
      continue
    }
    const current = text.toString()
    const start = utf16Index(current, position)
    if (deleteCount > 0) {
      const end = start + utf16Index(current.slice(start), deleteCount)
      text.delete(start, end - start)
    }
    if (insert) text.insert(start, insert)
  }
}

/**
 * Where two agents insert concurrently at the same place, Yjs orders the inserts by clientID; the traces were
 * recorded with one particular order, so the agents' clientIDs are fixed (found by replaying offline: with these,
 * friendsforever ends in exactly endContent every time; with random ones, in about half the runs).
 */
export const AGENT_CLIENT_IDS: readonly number[] = [1, 2]

/**
 * Replays a concurrent trace as its agents typed it (SYNC.md §6): each transaction is made in a document that
 * holds exactly its causal history (its parents, transitively), starting from `base`; `deliver` receives each
 * transaction's Yjs update with its agent, in trace order. `locate` finds the text to type into.
 */
export async function replayConcurrent(
  trace: ConcurrentTrace,
  base: Uint8Array,
  locate: (doc: Y.Doc) => Y.XmlText | Y.Text,
  deliver: (agent: number, update: Uint8Array, history: Map<number, number>) => void | Promise<void>,
  /** The Yjs clientID of each agent's edits (see AGENT_CLIENT_IDS). */
  clientIds: readonly number[] = AGENT_CLIENT_IDS,
): Promise<void> {
  const updates: Uint8Array[] = new Array(trace.txns.length)
  const agents = Array.from({ length: trace.numAgents }, (_, agent) => {
    const doc = new Y.Doc()
    doc.clientID = clientIds[agent] ?? agent + 1
    Y.applyUpdate(doc, base)
    return { doc, contains: new Uint8Array(trace.txns.length) }
  })
  for (let index = 0; index < trace.txns.length; index++) {
    const txn = trace.txns[index]!
    const agent = agents[txn.agent]!
    const missing: number[] = []
    const stack = [...txn.parents]
    while (stack.length > 0) {
      const parent = stack.pop()!
      if (agent.contains[parent]) continue
      agent.contains[parent] = 1
      missing.push(parent)
      stack.push(...trace.txns[parent]!.parents)
    }
    missing.sort((a, b) => a - b)
    for (const parent of missing) Y.applyUpdate(agent.doc, updates[parent]!)
    // What the transaction was typed on: a live client must hold it before it can send the transaction.
    const history = Y.decodeStateVector(Y.encodeStateVector(agent.doc))
    let update: Uint8Array = new Uint8Array([0, 0])
    const capture = (u: Uint8Array) => {
      update = u
    }
    agent.doc.on('update', capture)
    agent.doc.transact(() => applyPatches(locate(agent.doc), txn.patches))
    agent.doc.off('update', capture)
    updates[index] = update
    agent.contains[index] = 1
    await deliver(txn.agent, update, history)
  }
}

/** True when `doc` holds everything `history` names. */
export function holds(doc: Y.Doc, history: Map<number, number>): boolean {
  for (const [client, clock] of history) if (Y.getState(doc.store, client) < clock) return false
  return true
}

/** Resolves as soon as `doc` holds `history` (checked on every update it receives, no polling). */
export function untilHolds(doc: Y.Doc, history: Map<number, number>): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!holds(doc, history)) return
      doc.off('update', check)
      resolve()
    }
    doc.on('update', check)
    check()
  })
}
