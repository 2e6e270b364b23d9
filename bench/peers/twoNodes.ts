/**
 * Two server processes sharing documents through Redis, as the cluster scenario drives them: Accord's nodes
 * (one owner per document, the other relaying) or Hocuspocus instances with their Redis extension (each
 * applying every update). Node 0 is where documents are made and typists connect; node 1 is the other.
 */
import type { DocumentTarget } from './types.ts'

export const FIRST = 0
export const SECOND = 1
export type NodeIndex = typeof FIRST | typeof SECOND

export interface TwoNodes {
  readonly kind: 'accord' | 'hocuspocus'
  /** A new document whose clients connect to node `at`. */
  newDocument(users: { editors: number; readers: number }, at?: NodeIndex): Promise<DocumentTarget>
  wsBase(node: NodeIndex): string
  /** CPU seconds so far of a node's process. */
  nodeCpuSeconds(node: NodeIndex): number
  /** CPU seconds so far of Redis and PostgreSQL (NaN where there is none). */
  serviceCpuSeconds(): { redis: number; postgres: number }
  /**
   * Throws unless node 0 holds the document's authority and node 1 none (and, with `relayedOnSecond`, node 1
   * relays clients); where there is no single authority (Hocuspocus), nothing to check.
   */
  expectRouting(relayedOnSecond: boolean): Promise<void>
  stop(): Promise<void>
}
