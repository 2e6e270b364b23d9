import { describe, expect, it } from 'vitest'
import { avatarTexts } from './avatarText.ts'

describe('avatar texts', () => {
  it('are initials when nobody shares them', () => {
    expect(avatarTexts([{ name: 'Eve Editor' }, { name: 'Carla Chair' }])).toEqual(['EE', 'CC'])
  })

  it('grow only for the people who share initials', () => {
    expect(avatarTexts([{ name: 'Eve Editor' }, { name: 'Eli Edwards' }, { name: 'Carla Chair' }])).toEqual([
      'EvE',
      'ElE',
      'CC',
    ])
  })

  it('fall back to the names, then the organization, then a number', () => {
    expect(avatarTexts([{ name: 'Eve Editor' }, { name: 'Eva Editor' }])).toEqual([
      'Eve Editor',
      'Eva Editor',
    ])
    expect(
      avatarTexts([
        { name: 'Jo Li', organization: 'ETRI' },
        { name: 'Jo Li', organization: 'Huawei' },
      ]),
    ).toEqual(['Jo Li (E)', 'Jo Li (H)'])
    const twins = avatarTexts([
      { name: 'Jo Li', organization: 'Huawei' },
      { name: 'Jo Li', organization: 'HHI' },
    ])
    expect(new Set(twins).size).toBe(2)
  })

  it('are the same for one person present twice (two tabs)', () => {
    expect(avatarTexts([{ name: 'Eve Editor' }, { name: 'Eve Editor' }, { name: 'Eli Edwards' }])).toEqual([
      'EvE',
      'EvE',
      'ElE',
    ])
  })
})
