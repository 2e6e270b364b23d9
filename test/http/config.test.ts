/** The settings behind the login limit and the Origin check, as read from the environment. */
import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../server/config.ts'

describe('TRUST_PROXY', () => {
  test('is off unless set: X-Forwarded-For is then ignored', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false)
  })

  test('takes what Express takes: a hop count, names, addresses and CIDRs', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback')
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }).trustProxy).toBe('10.0.0.0/8, 192.0.2.1')
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true)
  })
})

describe('login limits', () => {
  test('per account and address 10, per account overall 100, per address 100 by default', () => {
    const config = loadConfig({})
    expect(config.loginLimitPerAccount).toBe(10)
    expect(config.loginLimitPerAccountGlobal).toBe(100)
    expect(config.loginLimitPerAddress).toBe(100)
    expect(loadConfig({ LOGIN_LIMIT_PER_ACCOUNT_GLOBAL: '40' }).loginLimitPerAccountGlobal).toBe(40)
  })
})

describe('PUBLIC_ORIGIN', () => {
  test('is a comma-separated list of origins, kept in the form browsers send', () => {
    expect(
      loadConfig({ PUBLIC_ORIGIN: 'https://accord.example.org/, http://10.0.0.5:8080' }).publicOrigins,
    ).toEqual(['https://accord.example.org', 'http://10.0.0.5:8080'])
  })

  test('refuses what is not an origin', () => {
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'accord.example.org' })).toThrow(/PUBLIC_ORIGIN/)
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'ftp://accord.example.org' })).toThrow(/PUBLIC_ORIGIN/)
  })
})
