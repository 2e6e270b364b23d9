/** Password hashing with scrypt from node:crypto: a memory-hard KDF, salted, compared in constant time. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const KEY_LENGTH = 32
const BLOCK_SIZE = 8

function derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      KEY_LENGTH,
      { N: cost, r: BLOCK_SIZE, p: 1, maxmem: 256 * cost * BLOCK_SIZE },
      (err, key) => (err ? reject(err) : resolve(key)),
    )
  })
}

/** Returns `scrypt$N$r$salt$hash` (base64url), self-describing so the cost can change later. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost, BLOCK_SIZE, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costText, , saltText, keyText] = stored.split('$')
  if (scheme !== 'scrypt' || !costText || !saltText || !keyText) return false
  const expected = Buffer.from(keyText, 'base64url')
  const actual = await derive(password, Buffer.from(saltText, 'base64url'), Number(costText))
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A hash to verify against when the account does not exist, so timing does not reveal which e-mails exist. */
export async function dummyHash(cost: number): Promise<string> {
  return hashPassword(randomBytes(12).toString('hex'), cost)
}
