/**
 * The short text of each person's avatar: their initials, made longer only as far as needed for people who share
 * them ("EE" for Eve Editor alone; "EvE" and "ElE" for Eve Editor and Eli Edwards together). Two people with the
 * same name are told apart by their organization's initial, or by a number when even that is shared.
 */

interface Named {
  name: string
  organization?: string
}

const words = (name: string) => name.split(/\s+/).filter(Boolean)

/** The avatar text of a name at a level of detail: 0 initials, 1 first two letters + last initial, 2 the name. */
function textAt(person: Named, level: number): string {
  const parts = words(person.name)
  const first = parts[0] ?? '?'
  const last = parts.length > 1 ? parts[parts.length - 1]! : ''
  const initial = (word: string) => (word[0] ?? '').toUpperCase()
  if (level === 0) return parts.slice(0, 2).map(initial).join('') || '?'
  if (level === 1) return `${initial(first)}${first.slice(1, 2)}${initial(last)}`
  if (level === 2) return person.name.trim() || '?'
  return `${person.name.trim()} (${initial(person.organization ?? '') || '?'})`
}

const LEVELS = 4

/** Each person's avatar text, in the order given; equal texts only for the same person (same name and organization). */
export function avatarTexts(people: readonly Named[]): string[] {
  const identity = (p: Named) => `${p.name}\u0000${p.organization ?? ''}`
  const texts = people.map((person) => {
    for (let level = 0; level < LEVELS; level++) {
      const text = textAt(person, level)
      const clash = people.some(
        (other) => identity(other) !== identity(person) && textAt(other, level) === text,
      )
      if (!clash) return text
    }
    return textAt(person, LEVELS - 1)
  })
  // Still equal (the same name and organization initial): number them, in the order given.
  const seen = new Map<string, number>()
  return texts.map((text, i) => {
    const twins = texts.filter((t, j) => t === text && identity(people[j]!) !== identity(people[i]!))
    if (twins.length === 0) return text
    const n = (seen.get(text) ?? 0) + 1
    seen.set(text, n)
    return `${text} ${n}`
  })
}
