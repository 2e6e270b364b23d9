/** Runs work in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws. */
import type pg from 'pg'

export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED',
): Promise<T> {
  const client = await pool.connect()
  let broken = false
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation}`)
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true
    })
    throw error
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than return it to the pool.
    client.release(broken)
  }
}
