/**
 * vitest global setup: with `ACCORD_TEST_BACKEND=postgres`, one throwaway PostgreSQL serves the whole run (each
 * test server creates its own database in it: testServer.ts) and is stopped at the end. Without it, nothing.
 * `ACCORD_TEST_POSTGRES_URL` (a superuser URL of a maintenance database) uses a running server instead.
 */
import type { TestProject } from 'vitest/node'
import { startThrowawayPostgres } from './postgres.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    accordPostgresAdminUrl: string
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.ACCORD_TEST_BACKEND !== 'postgres') return undefined
  if (process.env.ACCORD_TEST_POSTGRES_URL) {
    project.provide('accordPostgresAdminUrl', process.env.ACCORD_TEST_POSTGRES_URL)
    return undefined
  }
  const postgres = await startThrowawayPostgres()
  project.provide('accordPostgresAdminUrl', postgres.adminUrl)
  return () => postgres.destroy()
}
