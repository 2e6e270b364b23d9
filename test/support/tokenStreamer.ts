import * as Y from 'yjs'
import { clauseByTitle, firstParagraphText, type LiveClient } from './syncClients.ts'

/**
 * Types numbered tokens and records which of them the server acknowledged as saved (its `saved` message
 * covers the clock of the token's insert).
 */
export function tokenStreamer(client: LiveClient, clause = 'Summary', prefix = '') {
  const text = firstParagraphText(clauseByTitle(client.body, clause))
  const clockOf = new Map<string, number>()
  const acknowledged = new Set<string>()
  let n = 0
  const onMessage = () => {
    for (const message of client.messages.splice(0)) {
      if (message.type !== 'saved') continue
      const saved = message.clocks[String(client.doc.clientID)] ?? 0
      for (const [token, clock] of clockOf) if (clock <= saved) acknowledged.add(token)
    }
  }
  return {
    acknowledged,
    typeOne() {
      const token = `<${prefix}${n++}>`
      text.insert(text.length, token)
      clockOf.set(token, Y.getState(client.doc.store, client.doc.clientID))
      onMessage()
    },
    collect: onMessage,
  }
}
