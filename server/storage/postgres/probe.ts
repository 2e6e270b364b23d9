/**
 * Whether the database answers now, for /api/health: a trivial query with a short deadline (a pool waiting for a
 * connection to a database that hangs would otherwise hold the health check for its whole connect timeout).
 */
import type pg from 'pg'

export async function databaseAnswers(pool: pg.Pool, withinMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs)
  })
  try {
    return await Promise.race([pool.query('SELECT 1').then(() => true), late])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
