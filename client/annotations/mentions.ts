/**
 * Mentions in a comment: the server takes the mentioned users' ids (`mentions`, docs/API.md) and the body says
 * `@Name`. The picker inserts `@Name`; the ids sent are those of the members whose `@Name` is still in the text
 * when it is posted, so deleting a mention in the text un-mentions them and typing one in full mentions them.
 */

export interface Mentionable {
  id: string
  name: string
  organization: string
}

/** At most this many members are offered at once: the list is for choosing, not browsing. */
export const MAX_OFFERED = 8

/** What the user is typing after an `@` that starts a word, up to the caret; null when not in a mention. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]!))) return null
  const query = before.slice(at + 1)
  // A name has spaces ("@Eve Editor"), not line breaks; a long run is no longer a name being typed.
  if (query.includes('\n') || query.length > 40) return null
  return { start: at, query }
}

/** The members whose name has a word starting with the query (all of them for an empty query), by name. */
export function membersMatching(members: readonly Mentionable[], query: string): Mentionable[] {
  const wanted = query.trim().toLocaleLowerCase()
  return members
    .filter((member) => {
      const name = member.name.toLocaleLowerCase()
      return name.startsWith(wanted) || name.split(/\s+/).some((word) => word.startsWith(wanted))
    })
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, MAX_OFFERED)
}

/** `text` with the mention being typed (from `start` to `caret`) replaced by `@Name `, and where the caret goes. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  member: Mentionable,
): { text: string; caret: number } {
  const mention = `@${member.name} `
  const after = text.slice(caret).replace(/^ /, '')
  return { text: `${text.slice(0, start)}${mention}${after}`, caret: start + mention.length }
}

/** The ids of the members mentioned by `@Name` in `body` (a name ends where a letter or digit does not follow). */
export function mentionedIn(body: string, members: readonly Mentionable[]): string[] {
  return members
    .filter((member) => {
      const mention = `@${member.name}`
      for (let at = body.indexOf(mention); at >= 0; at = body.indexOf(mention, at + 1)) {
        const next = body[at + mention.length]
        if ((at === 0 || /\s/.test(body[at - 1]!)) && (next === undefined || !/[\p{L}\p{N}]/u.test(next)))
          return true
      }
      return false
    })
    .map((member) => member.id)
}
