import { describe, expect, it } from 'vitest'
import { offendingImports } from './importRules.ts'

const check = (files: Record<string, string>) => offendingImports(Object.keys(files), (file) => files[file]!)

describe('import rules', () => {
  it('reports shared code that imports the server, with file and line', () => {
    expect(
      check({ 'shared/domain/a.ts': "import x from 'y'\nimport { b } from '../../server/b.ts'\n" }),
    ).toEqual(['shared/domain/a.ts:2 imports server/b.ts (shared/ may not import server/)'])
  })

  it('reports storage importing sync, use cases importing http, and the client importing the server', () => {
    const offences = check({
      'server/storage/s.ts': "import { hub } from '../sync/documentHub.ts'",
      'server/domain/d.ts': "export { e } from '../http/errors.ts'",
      'client/c.tsx': "const m = await import('../server/app.ts')",
    })
    expect(offences).toHaveLength(3)
  })

  it('lets imports point inward', () => {
    expect(
      check({
        'server/http/h.ts': "import { a } from '../domain/a.ts'\nimport { s } from '../../shared/x.ts'",
        'server/sync/s.ts': "import { e } from '../errors.ts'\nimport { st } from '../storage/store.ts'",
        'client/c.ts': "import { s } from '../shared/x.ts'",
      }),
    ).toEqual([])
  })
})
