/**
 * `replayConcurrent` of test/support/traces.ts with fixed clientIDs for the agents' documents. friendsforever
 * has concurrent inserts at the same position (near offset 3,800: ", huh?" and " The whole"); Yjs orders those by
 * clientID, and only agent 0 < agent 1 gives `endContent`. With random clientIDs a correct server fails about
 * one run in four. (The same holds for the test that uses `replayConcurrent`; reported to the lead.)
 */
import * as Y from 'yjs'
import { applyPatches, type ConcurrentTrace } from '../../test/support/traces.ts'

export async function replayConcurrentInOrder(
  trace: ConcurrentTrace,
  base: Uint8Array,
  locate: (doc: Y.Doc) => Y.XmlText | Y.Text,
  deliver: (agent: number, update: Uint8Array, history: Map<number, number>) => void | Promise<void>,
): Promise<void> {
  const updates: Uint8Array[] = new Array(trace.txns.length)
  const agents = Array.from({ length: trace.numAgents }, (_, i) => {
    const doc = new Y.Doc()
    doc.clientID = i + 1
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
