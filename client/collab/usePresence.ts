import { useEffect, useState } from 'react'
import type { CollabSession } from './collabSession.ts'
import { presenceColor } from './colors.ts'

export interface Person {
  clientId: number
  name: string
  organization: string
  color: string
  self: boolean
  /** Has a caret in the text to scroll to. */
  hasCaret: boolean
}

interface AwarenessUser {
  name?: unknown
  organization?: unknown
  color?: unknown
}

function peopleOf(session: CollabSession): Person[] {
  const own = session.ydoc.clientID
  const people: Person[] = []
  for (const [clientId, state] of session.provider.awareness.getStates()) {
    const user = (state?.user ?? {}) as AwarenessUser
    if (typeof user.name !== 'string') continue
    people.push({
      clientId,
      name: user.name,
      organization: typeof user.organization === 'string' ? user.organization : '',
      color: presenceColor(user.color),
      self: clientId === own,
      hasCaret: state?.cursor != null,
    })
  }
  return people.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name))
}

/** Everything the list shows of a person. */
const shown = (p: Person) => [p.clientId, p.name, p.organization, p.color, p.self, p.hasCaret].join('\u0000')

function samePeople(a: Person[], b: Person[]): boolean {
  return a.length === b.length && a.every((person, i) => shown(person) === shown(b[i]!))
}

/** Who joined, changed and left in one presence change. */
interface PresenceChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

const key = (p: Person) => `${p.name}\u0000${p.organization}`

/** Who is in the document (from presence, whose `user` field the server sets), announcing joins and leaves. */
export function usePresence(session: CollabSession | null, announce: (message: string) => void): Person[] {
  const [people, setPeople] = useState<Person[]>([])
  useEffect(() => {
    if (!session) return
    const awareness = session.provider.awareness
    let known = new Set<string>()
    let first = true
    const refresh = () => {
      const next = peopleOf(session)
      // A caret moving (every keystroke) changes presence but nobody in this list: keep the same array, so the
      // screen does not re-render per keystroke.
      setPeople((previous) => (samePeople(previous, next) ? previous : next))
      const others = new Map(next.filter((p) => !p.self).map((p) => [key(p), p.name]))
      if (!first) {
        for (const [k, name] of others) if (!known.has(k)) announce(`${name} joined`)
        for (const k of known) if (!others.has(k)) announce(`${k.split('\u0000')[0]} left`)
      }
      first = false
      known = new Set(others.keys())
    }
    refresh()
    // The own caret moves with every keystroke (published every so often): when only this client changed and not
    // in anything the list shows, there is nothing to compute.
    const own = session.ydoc.clientID
    let ownShown = ''
    const onChange = ({ added, updated, removed }: PresenceChanges) => {
      const state = awareness.getLocalState()
      const nowShown = `${JSON.stringify(state?.user ?? null)}\u0000${state?.cursor != null}`
      const ownChanged = nowShown !== ownShown
      ownShown = nowShown
      if (!ownChanged && added.length === 0 && removed.length === 0 && updated.every((id) => id === own))
        return
      refresh()
    }
    awareness.on('change', onChange)
    return () => awareness.off('change', onChange)
  }, [session, announce])
  return people
}
