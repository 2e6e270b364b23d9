/** The words the status bar uses: honest about what is on the server and what is only on this device. */

export type Connection = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'ended'

export interface StatusInput {
  connection: Connection
  /** This client has changes the server has not confirmed as stored. */
  unsaved: boolean
  /** The server said it cannot write to disk right now. */
  storageProblem: boolean
}

export type Tone = 'ok' | 'busy' | 'warning' | 'error'

export function statusLabel({ connection, unsaved, storageProblem }: StatusInput): {
  text: string
  tone: Tone
} {
  switch (connection) {
    case 'connecting':
      return { text: 'Connecting…', tone: 'busy' }
    case 'reconnecting':
      return { text: 'Reconnecting…', tone: 'warning' }
    case 'offline':
      return { text: 'Offline — changes kept on this device', tone: 'warning' }
    case 'ended':
      return {
        text: unsaved ? 'Not connected — changes kept on this device' : 'Not connected',
        tone: 'error',
      }
    case 'online':
      if (storageProblem)
        return { text: 'The server cannot save right now — changes kept on this device', tone: 'error' }
      return unsaved ? { text: 'Saving…', tone: 'busy' } : { text: 'All changes saved', tone: 'ok' }
  }
}

export interface MergeSummary {
  changes: number
  people: number
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export function mergeMessage({ changes, people }: MergeSummary): string {
  if (changes === 0) return 'Back online. Nobody else changed the text meanwhile.'
  return `Back online: ${plural(changes, 'change', 'changes')} by ${plural(people, 'person', 'people')} merged.`
}
