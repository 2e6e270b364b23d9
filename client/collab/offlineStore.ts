/**
 * What the browser keeps of a user's work: the y-indexeddb copy of each deliverable (for offline editing), and the
 * work saved aside during a refusal recovery. Both are keyed by user and deliverable and removed on logout, so
 * nothing of one user stays on a shared machine for the next.
 */
import type { JsonNode, KeptText } from './recoveryPlan.ts'

const PREFIX = 'accord:'

export function offlineDocName(userId: string, deliverableId: string): string {
  return `${PREFIX}${userId}:${deliverableId}`
}

const WORK_DB = 'accord-recovery'
const WORK_STORE = 'work'

export interface SavedWork {
  /** The body as ProseMirror JSON when the refusal arrived. */
  doc: JsonNode | null
  reason: string
  message: string
  sectionIds: string[]
  at: number
  /** After the edits were re-applied only the panel's text stays. */
  kept: KeptText[]
  applied: boolean
}

function openWorkDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(WORK_DB, 1)
    open.onupgradeneeded = () => open.result.createObjectStore(WORK_STORE)
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error)
  })
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openWorkDb()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(WORK_STORE, mode)
      const request = run(tx.objectStore(WORK_STORE))
      tx.oncomplete = () => resolve(request.result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

export function saveWork(key: string, work: SavedWork): Promise<unknown> {
  return withStore('readwrite', (store) => store.put(work, key))
}

export function loadWork(key: string): Promise<SavedWork | undefined> {
  return withStore('readonly', (store) => store.get(key) as IDBRequest<SavedWork | undefined>)
}

export function deleteWork(key: string): Promise<unknown> {
  return withStore('readwrite', (store) => store.delete(key))
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    // Another tab still holds it open: it goes once that tab closes; nothing more to wait for here.
    request.onblocked = () => resolve()
  })
}

/** Removes every offline copy and saved work of this user (on logout). */
export async function clearOfflineData(userId: string): Promise<void> {
  const prefix = `${PREFIX}${userId}:`
  const databases = (await indexedDB.databases?.()) ?? []
  await Promise.all(
    databases
      .map((db) => db.name)
      .filter((name): name is string => !!name?.startsWith(prefix))
      .map(deleteDatabase),
  )
  await withStore('readwrite', (store) => store.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`)))
}
