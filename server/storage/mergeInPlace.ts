/**
 * Brings `target` to `source`'s content while keeping the objects of `target` that `source` still has: plain
 * objects are merged key by key, arrays of objects with ids are matched by id, anything else is replaced. A use case
 * that looked a record up before the metadata was read again (a cluster node learning another node's write) and
 * changes it inside its next update then changes the record that is stored, not a detached copy.
 */
type Plain = Record<string, unknown>

const isPlain = (value: unknown): value is Plain =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const hasId = (value: unknown): value is Plain & { id: string } =>
  isPlain(value) && typeof value.id === 'string'

export function mergeInPlace(target: Plain, source: Plain): void {
  for (const key of Object.keys(target)) if (!(key in source)) delete target[key]
  for (const [key, next] of Object.entries(source)) target[key] = merged(target[key], next)
}

function merged(current: unknown, next: unknown): unknown {
  if (isPlain(current) && isPlain(next)) {
    mergeInPlace(current, next)
    return current
  }
  if (Array.isArray(current) && Array.isArray(next) && next.every(hasId) && current.every(hasId)) {
    const byId = new Map(current.map((item) => [item.id, item]))
    const items = next.map((item) => {
      const kept = byId.get(item.id)
      if (!kept) return item
      mergeInPlace(kept, item)
      return kept
    })
    current.splice(0, current.length, ...items)
    return current
  }
  return next
}
