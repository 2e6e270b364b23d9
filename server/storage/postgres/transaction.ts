/** Runs work in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws. */
import type pg from 'pg'

export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED',
): Promise<T> {
  const client = await pool.connect()
  let broken = false
  // A checked-out client has no listener of the pool's: a connection that drops between two queries (the
  // database stopping) would emit an unhandled 'error' and end the process. The next query rejects instead.
  const dropped = () => {
    broken = true
  }
  client.on('error', dropped)
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
    client.off('error', dropped)
    // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than return it to the pool.
    client.release(broken)
  }
}
