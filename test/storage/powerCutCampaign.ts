/**
 * "Acknowledged means durable", checked the hard way: a seeded workload of creates, appends and compactions on
 * several documents, with the power cut at a random operation, then a reboot that must find every update whose
 * promise resolved. Returns what went wrong instead of asserting, so a test can also show that a store which
 * skips an fsync gets caught.
 */
import { FileDocumentStore } from '../../server/storage/documentStore.ts'
import { type DiskOptions, PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { randomInt, seededRandom, TokenDoc } from './storageKit.ts'

export interface CampaignOptions {
  seed: number
  cuts: number
  disk?: DiskOptions
  /** Upper bound of the operations between a reboot and the next cut. */
  maxOperationsPerCut?: number
}

export interface CampaignResult {
  problems: string[]
  acknowledged: number
  compactions: number
  repairs: number
}

const DOCUMENTS = ['alpha', 'beta', 'gamma']
const ignore = () => undefined
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export async function runPowerCutCampaign(root: string, options: CampaignOptions): Promise<CampaignResult> {
  const random = seededRandom(options.seed)
  const disk = await PowerCutDisk.create(root, options.disk)
  /** Tokens whose create or append resolved, per document; a key means its create was acknowledged. */
  const acknowledged = new Map<string, Set<string>>()
  const result: CampaignResult = { problems: [], acknowledged: 0, compactions: 0, repairs: 0 }
  let nextClientId = 1
  let nextToken = 0

  /** Reboots onto what survived; returns the documents as loaded, or null when the store cannot even open. */
  async function reboot(cut: number) {
    const store = await FileDocumentStore.open(disk.fileSystem(), root).catch((error: Error) => {
      result.problems.push(`after cut ${cut}: the store does not open: ${error.message}`)
      return null
    })
    const docs = new Map<string, TokenDoc>()
    if (!store) return { store, docs }
    for (const docId of DOCUMENTS) {
      const wanted = acknowledged.get(docId)
      const loaded = await store.load(docId).catch((error: Error) => {
        result.problems.push(`after cut ${cut}: ${docId} does not load: ${error.message}`)
        return undefined
      })
      if (loaded === undefined) continue
      if (loaded === null) {
        if (wanted) result.problems.push(`after cut ${cut}: ${docId} was created, and is gone`)
        continue
      }
      result.repairs += loaded.repairs.length
      const doc = TokenDoc.fromLoaded(loaded, nextClientId++)
      if (doc.hasMissingDependencies) result.problems.push(`after cut ${cut}: ${docId} has updates missing`)
      const lost = [...(wanted ?? [])].filter((token) => !doc.tokens.has(token))
      if (lost.length > 0) {
        result.problems.push(
          `after cut ${cut}: ${docId} lost ${lost.length} acknowledged updates (${lost[0]}, ...)`,
        )
      }
      if (!wanted) acknowledged.set(docId, new Set())
      docs.set(docId, doc)
    }
    return { store, docs }
  }

  for (let cut = 0; cut <= options.cuts; cut++) {
    const { store, docs } = await reboot(cut)
    if (!store) break
    if (cut === options.cuts) {
      await store.closeAll()
      break
    }
    disk.cutAfter(randomInt(random, 1, options.maxOperationsPerCut ?? 150))
    const pending: Promise<unknown>[] = []
    const creating = new Set<string>()
    while (!disk.isCut) {
      const docId = DOCUMENTS[randomInt(random, 0, DOCUMENTS.length - 1)]!
      const doc = docs.get(docId)
      const token = `${docId}-${nextToken++}`
      if (!doc && !creating.has(docId)) {
        creating.add(docId)
        const author = new TokenDoc(nextClientId++)
        const created = store.create(docId, author.insert(token), 'alice').then(() => {
          acknowledged.set(docId, new Set([token]))
          docs.set(docId, author)
        }, ignore)
        pending.push(created)
      } else if (doc && random() < 0.04) {
        pending.push(
          store.compact(docId, doc.fullState, doc.clientOwners).then(() => result.compactions++, ignore),
        )
      } else if (doc) {
        const update = doc.insert(token, random() < 0.5)
        pending.push(
          store.append(docId, update, 'bob').then(() => acknowledged.get(docId)!.add(token), ignore),
        )
      }
      // Sometimes wait for everything, sometimes let appends pile up behind an fsync in flight.
      if (random() < 0.2) await Promise.all(pending.splice(0))
      else await nextTurn()
      // Nothing left to write to (every document unreadable): cut now rather than wait for an operation.
      if (docs.size === 0 && creating.size === DOCUMENTS.length && pending.length === 0) break
    }
    await Promise.all(pending)
    await disk.powerCut({ random })
  }
  result.acknowledged = [...acknowledged.values()].reduce((sum, tokens) => sum + tokens.size, 0)
  return result
}
