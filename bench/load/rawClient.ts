/**
 * A lightweight raw-protocol client: opens the socket (with the session cookie on Accord), asks for the whole
 * document, answers the server's sync step 1 with an empty state as a provider would, and hands every received
 * update to `onUpdate` with its arrival time. It never decodes or applies anything.
 */
import type { DocumentTarget } from '../peers/types.ts'
import { openLightSocket } from './lightSocket.ts'
import {
  MESSAGE_SYNC,
  openingFrames,
  peekFrame,
  rawUrl,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
  syncFrame,
} from './wire.ts'

export interface RawClientHandlers {
  /** An update frame, `offset` at its Yjs update; the frame is only valid during the call. */
  onUpdate?(frame: Uint8Array, offset: number, receivedAt: number): void
  /** The server's sync step 2 (the whole document), `offset` at its update. */
  onSyncStep2?(frame: Uint8Array, offset: number, receivedAt: number): void
  /** Any other frame (awareness, Accord messages, ...), `offset` after its type. */
  onOther?(type: number, frame: Uint8Array, offset: number, receivedAt: number): void
  onClose?(code: number, reason: string): void
}

export interface RawClient {
  send(frame: Uint8Array): void
  /** Resolves with the size of the sync step 2 (the whole document) and when it arrived. */
  synced: Promise<{ bytes: number; at: number }>
  close(): void
}

const EMPTY_UPDATE = new Uint8Array([0, 0])

export async function connectRaw(
  target: DocumentTarget,
  cookie: string,
  handlers: RawClientHandlers = {},
  options: { hello?: boolean } = {},
): Promise<RawClient> {
  const prefixed = target.peer === 'hocuspocus'
  let resolveSynced!: (value: { bytes: number; at: number }) => void
  let rejectSynced!: (error: Error) => void
  const synced = new Promise<{ bytes: number; at: number }>((resolve, reject) => {
    resolveSynced = resolve
    rejectSynced = reject
  })
  synced.catch(() => undefined)
  const reply = syncFrame(target, SYNC_STEP_2, EMPTY_UPDATE)
  const socket = await openLightSocket(rawUrl(target), cookie ? { cookie } : {}, {
    onMessage(bytes, at) {
      const frame = peekFrame(bytes, prefixed)
      if (!frame) return
      if (frame.type !== MESSAGE_SYNC) handlers.onOther?.(frame.type, bytes, frame.offset, at)
      else if (frame.step === SYNC_UPDATE) handlers.onUpdate?.(bytes, frame.offset, at)
      else if (frame.step === SYNC_STEP_2) {
        handlers.onSyncStep2?.(bytes, frame.offset, at)
        resolveSynced({ bytes: bytes.byteLength, at })
      } else if (frame.step === SYNC_STEP_1) socket.send(reply)
    },
    onClose(code, reason) {
      rejectSynced(new Error(`closed before sync: ${code} ${reason}`))
      handlers.onClose?.(code, reason)
    },
  })
  for (const frame of openingFrames(target, options.hello ?? true)) socket.send(frame)
  return { send: (frame) => socket.send(frame), synced, close: () => socket.terminate() }
}
