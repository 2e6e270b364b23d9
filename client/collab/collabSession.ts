/**
 * One replica of a deliverable: its Y.Doc, the offline copy in IndexedDB and the WebSocket provider, with the
 * state the UI shows (connection, saving, access, the sections' consensus state as the server sent it). A refused
 * update ends the replica (SYNC.md §3): the session reports it and the owner builds a fresh one; nothing here tries
 * to repair a refused Y.Doc.
 */
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import {
  CLOSE_CODES,
  type RefusalReason,
  type SectionState,
  type ServerMessage,
} from '../../shared/protocol/messages.ts'
import { api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import { attachAccordChannel } from './accordChannel.ts'
import { BatchedIndexeddbPersistence } from './batchedPersistence.ts'
import { MergeCounter } from './mergeCounter.ts'
import { offlineDocName } from './offlineStore.ts'
import { sendAfterFrame } from './sendAfterFrame.ts'
import type { Connection, MergeSummary } from './syncStatus.ts'

export type AnnotationsMessage = Extract<ServerMessage, { type: 'annotations' }>

export interface Refusal {
  reason: RefusalReason | 'malformed'
  message: string
  sectionIds: string[]
}

export type EndReason = 'session' | 'forbidden' | 'not-found'

export interface SessionState {
  connection: Connection
  /** The first sync with the server is done: before it, edits would be made on a partial document. */
  synced: boolean
  /** From the server's welcome/access messages; null until it said. */
  canEdit: boolean | null
  unsaved: boolean
  /** Each section's consensus state as the live connection last said it; null until the server sent it. */
  sections: Readonly<Record<string, SectionState>> | null
  merged: MergeSummary | null
  storage: { writable: boolean; message: string } | null
  ended: EndReason | null
}

/**
 * The state without `unsaved`, which flips twice per keystroke (the change, then the server's confirmation): what
 * the editor screen follows, so that typing renders nothing but the saving indicator.
 */
export type SettledState = Omit<SessionState, 'unsaved'>

export interface SessionOptions {
  deliverableId: string
  userId: string
  /** A fresh replica after a refusal must not exchange updates with other tabs' (possibly refused) replicas. */
  disableBc?: boolean
  onRefused: (refusal: Refusal) => void
}

const REFUSAL_CLOSES: Record<number, Refusal['reason']> = {
  [CLOSE_CODES.malformed]: 'malformed',
  [CLOSE_CODES.readOnly]: 'read-only',
  [CLOSE_CODES.resyncRequired]: 'resync-required',
  [CLOSE_CODES.tooLarge]: 'too-large',
  [CLOSE_CODES.sectionLocked]: 'section-locked',
}
const ENDING_CLOSES: Record<number, EndReason> = {
  [CLOSE_CODES.sessionEnded]: 'session',
  [CLOSE_CODES.forbidden]: 'forbidden',
  [CLOSE_CODES.notFound]: 'not-found',
}
/** Disconnected this long, "Reconnecting…" becomes "Offline". */
const OFFLINE_AFTER_MS = 3000

export function syncUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

/** A replica's state before it has heard from the server. */
export const INITIAL_SESSION_STATE: SessionState = {
  connection: 'connecting',
  synced: false,
  canEdit: null,
  unsaved: false,
  sections: null,
  merged: null,
  storage: null,
  ended: null,
}

export class CollabSession {
  readonly ydoc = new Y.Doc()
  readonly body: Y.XmlFragment
  readonly provider: WebsocketProvider
  readonly persistence: BatchedIndexeddbPersistence
  private state: SessionState = INITIAL_SESSION_STATE
  private settled: SettledState = INITIAL_SESSION_STATE
  private listeners = new Set<() => void>()
  private savedClock = 0
  private offlineTimer: ReturnType<typeof setTimeout> | undefined
  private socketOpened = false
  private everDisconnected = false
  private lastMeCheck = 0
  private finished = false
  private readonly merges: MergeCounter
  private readonly detachChannel: () => void
  private readonly stopSendingAfterFrame: () => void
  private readonly annotationListeners = new Set<(message: AnnotationsMessage) => void>()
  private readonly openListeners = new Set<() => void>()

  constructor(private readonly options: SessionOptions) {
    this.body = this.ydoc.getXmlFragment(BODY_FIELD)
    this.persistence = new BatchedIndexeddbPersistence(
      offlineDocName(options.userId, options.deliverableId),
      this.ydoc,
      () => this.provider?.wsconnected === true,
    )
    this.provider = new WebsocketProvider(syncUrl(), options.deliverableId, this.ydoc, {
      connect: false,
      disableBc: options.disableBc ?? false,
    })
    this.stopSendingAfterFrame = sendAfterFrame(this.provider)
    this.merges = new MergeCounter(this.ydoc, this.provider)
    this.detachChannel = attachAccordChannel(this.provider, (message) => this.onAccordMessage(message))
    this.provider.on('status', this.onStatus)
    this.provider.on('sync', this.onSync)
    this.provider.on('connection-close', this.onClose)
    this.ydoc.on('update', this.onUpdate)
    // Load the offline copy first, so the first sync sends what was typed offline; do not wait forever for it.
    const connect = () => {
      if (!this.finished && !this.state.ended && !this.provider.shouldConnect) this.provider.connect()
    }
    void this.persistence.whenSynced.then(connect, connect)
    setTimeout(connect, 2000)
  }

  getState = (): SessionState => this.state

  /** The same object for as long as only `unsaved` changes (for useSyncExternalStore). */
  getSettledState = (): SettledState => this.settled

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private update(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch }
    if (Object.keys(patch).some((key) => key !== 'unsaved')) {
      const { unsaved: _unsaved, ...settled } = this.state
      this.settled = settled
    }
    for (const listener of this.listeners) listener()
  }

  /** Comments and suggestions pushed by the server (client/annotations keeps them). */
  onAnnotations(listener: (message: AnnotationsMessage) => void): () => void {
    this.annotationListeners.add(listener)
    return () => this.annotationListeners.delete(listener)
  }

  /** Each time the socket opens (before the first sync): the server has the replica's sync request by then. */
  onSocketOpen(listener: () => void): () => void {
    this.openListeners.add(listener)
    return () => this.openListeners.delete(listener)
  }

  /** The socket is open now. */
  get socketOpen(): boolean {
    return this.socketOpened
  }

  dismissMerge(): void {
    this.update({ merged: null })
  }

  /** Stops talking to the server; keeps the offline copy. */
  destroy(): void {
    if (this.finished) return
    this.finished = true
    clearTimeout(this.offlineTimer)
    this.detachChannel()
    this.merges.destroy()
    this.provider.off('status', this.onStatus)
    this.provider.off('sync', this.onSync)
    this.provider.off('connection-close', this.onClose)
    this.ydoc.off('update', this.onUpdate)
    this.stopSendingAfterFrame()
    this.provider.destroy()
    void this.persistence.destroy()
    this.ydoc.destroy()
  }

  /** Ends the replica and deletes its offline copy: after a refusal it holds structs the server will not take. */
  async discard(): Promise<void> {
    this.destroy()
    await this.persistence.clearData().catch(() => undefined)
  }

  private localClock(): number {
    return Y.getState(this.ydoc.store, this.ydoc.clientID)
  }

  private refreshUnsaved(): void {
    const unsaved = this.localClock() > this.savedClock
    if (unsaved !== this.state.unsaved) this.update({ unsaved })
  }

  private readonly onUpdate = (): void => this.refreshUnsaved()

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === 'connected') {
      this.socketOpened = true
      if (this.everDisconnected) this.merges.start()
      for (const listener of this.openListeners) listener()
      return
    }
    if (status === 'disconnected') {
      this.everDisconnected = true
      this.merges.cancel()
      if (this.state.ended) return
      this.update({ connection: this.state.synced ? 'reconnecting' : 'connecting' })
      clearTimeout(this.offlineTimer)
      this.offlineTimer = setTimeout(() => {
        if (this.state.connection !== 'online' && !this.state.ended) this.update({ connection: 'offline' })
      }, OFFLINE_AFTER_MS)
    }
  }

  private readonly onSync = (synced: boolean): void => {
    if (!synced || this.state.ended) return
    clearTimeout(this.offlineTimer)
    this.update({ connection: 'online', synced: true })
    this.refreshUnsaved()
    this.merges.finishSoon((summary) => this.update({ merged: summary }))
  }

  private readonly onClose = (event: CloseEvent | null): void => {
    const opened = this.socketOpened
    this.socketOpened = false
    if (!event || this.finished) return
    const ending = ENDING_CLOSES[event.code]
    const refusal = REFUSAL_CLOSES[event.code]
    if (ending) this.end(ending)
    else if (refusal) this.refuse({ reason: refusal, message: event.reason, sectionIds: [] })
    // A browser cannot read why an upgrade failed (SYNC.md §3): ask the API whether the session still holds.
    else if (!opened) void this.checkSession()
  }

  private async checkSession(): Promise<void> {
    if (Date.now() - this.lastMeCheck < 10_000) return
    this.lastMeCheck = Date.now()
    try {
      await api.me()
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && !this.finished) this.end('session')
    }
  }

  private end(reason: EndReason): void {
    if (this.state.ended) return
    clearTimeout(this.offlineTimer)
    this.provider.disconnect()
    this.update({ ended: reason, connection: 'ended' })
  }

  private refuse(refusal: Refusal): void {
    if (this.finished) return
    // The replica is finished: stop sending before the owner replaces it.
    this.provider.disconnect()
    this.options.onRefused(refusal)
  }

  private onAccordMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.update({ canEdit: message.canEdit })
        return
      case 'access':
        this.update({ canEdit: message.canEdit })
        return
      case 'saved': {
        const clock = message.clocks[String(this.ydoc.clientID)]
        if (typeof clock === 'number') this.savedClock = Math.max(this.savedClock, clock)
        this.refreshUnsaved()
        return
      }
      case 'refused':
        this.refuse({
          reason: message.reason,
          message: message.message,
          sectionIds: message.sectionIds ?? [],
        })
        return
      case 'consensus':
        this.applyConsensus(message.sections)
        return
      case 'storage':
        this.update({ storage: message.writable ? null : { writable: false, message: message.message } })
        return
      case 'session-ended':
        this.end('session')
        return
      case 'annotations':
        for (const listener of this.annotationListeners) listener(message)
        return
    }
  }

  private applyConsensus(sections: SectionState[]): void {
    const next = { ...this.state.sections }
    for (const section of sections) next[section.id] = section
    this.update({ sections: next })
  }
}
