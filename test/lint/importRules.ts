/**
 * `npm run lint`'s check that imports point inward (STYLE.md): `shared/` is imported by both sides and imports
 * neither; the client never imports the server; inside the server, storage knows neither HTTP nor sync, and use
 * cases, sync and auth know no HTTP (typed errors live in `server/errors.ts`, mapped to statuses in `http/`).
 * Prints every offending import with its file and line; exits 1 when there is one.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

/** A file under `from` may not import anything under one of `forbidden` (paths relative to the root). */
const RULES: { from: string; forbidden: string[] }[] = [
  { from: 'shared/', forbidden: ['server/', 'client/'] },
  { from: 'client/', forbidden: ['server/'] },
  { from: 'server/storage/', forbidden: ['server/http/', 'server/sync/', 'server/domain/'] },
  { from: 'server/domain/', forbidden: ['server/http/'] },
  { from: 'server/sync/', forbidden: ['server/http/', 'server/domain/'] },
  { from: 'server/auth/', forbidden: ['server/http/', 'server/sync/', 'server/domain/'] },
]

const IMPORT = /(?:from\s+|import\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative)
    return /\.(ts|tsx)$/.test(entry.name) ? [relative] : []
  })
}

export function offendingImports(files: string[], read: (file: string) => string): string[] {
  const offences: string[] = []
  for (const file of files) {
    const rule = RULES.find((r) => file.startsWith(r.from))
    if (!rule) continue
    const text = read(file)
    for (const match of text.matchAll(IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!))
      const banned = rule.forbidden.find((prefix) => target.startsWith(prefix))
      if (!banned) continue
      const line = text.slice(0, match.index).split('\n').length
      offences.push(`${file}:${line} imports ${target} (${rule.from} may not import ${banned})`)
    }
  }
  return offences
}

if (process.argv[1] === import.meta.filename) {
  const files = ['shared', 'client', 'server'].flatMap(sourceFiles)
  const offences = offendingImports(files, (file) => readFileSync(path.join(root, file), 'utf8'))
  for (const offence of offences) console.error(offence)
  console.log(`import rules: ${files.length} files, ${offences.length} offending imports`)
  process.exit(offences.length > 0 ? 1 : 0)
}
