import { describe, expect, test } from 'vitest'
import { insertMention, type Mentionable, membersMatching, mentionedIn, mentionQueryAt } from './mentions.ts'

const eve: Mentionable = { id: 'u-eve', name: 'Eve Editor', organization: 'ITU' }
const eva: Mentionable = { id: 'u-eva', name: 'Eva', organization: '' }
const pat: Mentionable = { id: 'u-pat', name: 'Pat Participant', organization: 'ACME' }
const members = [pat, eve, eva]

describe('the mention being typed', () => {
  test('starts at an @ that begins a word and runs to the caret', () => {
    expect(mentionQueryAt('Hello @Ev', 9)).toEqual({ start: 6, query: 'Ev' })
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionQueryAt('ask @Pat P', 10)).toEqual({ start: 4, query: 'Pat P' })
  })

  test('is none in an e-mail address, after a line break, or without an @', () => {
    expect(mentionQueryAt('mail eve@itu.int', 16)).toBeNull()
    expect(mentionQueryAt('@Eve\nnext', 9)).toBeNull()
    expect(mentionQueryAt('no mention', 10)).toBeNull()
  })
})

test('members are offered when a word of their name starts with the query, by name', () => {
  expect(membersMatching(members, '').map((m) => m.id)).toEqual(['u-eva', 'u-eve', 'u-pat'])
  expect(membersMatching(members, 'ev').map((m) => m.id)).toEqual(['u-eva', 'u-eve'])
  expect(membersMatching(members, 'part').map((m) => m.id)).toEqual(['u-pat'])
  expect(membersMatching(members, 'zed')).toEqual([])
})

test('choosing a member replaces what was typed with @Name and a space, the caret after it', () => {
  expect(insertMention('Hi @ev, see', 3, 6, eve)).toEqual({ text: 'Hi @Eve Editor , see', caret: 15 })
  expect(insertMention('Hi @ev see', 3, 6, eve)).toEqual({ text: 'Hi @Eve Editor see', caret: 15 })
})

describe('the mentions sent with a comment', () => {
  test('are the members named in full after an @', () => {
    expect(mentionedIn('@Eve Editor and @Pat Participant: look', members).sort()).toEqual(['u-eve', 'u-pat'])
  })

  test('a longer name is not a shorter one, nor an address', () => {
    expect(mentionedIn('@Evangeline, see', members)).toEqual([])
    expect(mentionedIn('@Eva, see', members)).toEqual(['u-eva'])
    expect(mentionedIn('write to x@Eva', members)).toEqual([])
  })
})
