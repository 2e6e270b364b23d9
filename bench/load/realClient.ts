/**
 * A real client of each peer, as an editor would run it in a browser: the y-websocket v3 WebsocketProvider for
 * Accord (with the session cookie, saying hello to receive Accord's messages) and for the reference server, and
 * Hocuspocus's own HocuspocusProvider for Hocuspocus.
 */
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { MESSAGE_ACCORD, type ServerMessage } from '../../shared/protocol/messages.ts'
import { cookieWebSocket, sayHello } from '../../test/support/syncClients.ts'
import type { DocumentTarget } from '../peers/types.ts'

export interface RealClient {
  doc: Y.Doc
  body: Y.XmlFragment
  /** Resolves once the first sync with the server is complete. */
  synced: Promise<void>
  /** Accord only: its own messages, as they arrive (e.g. `saved`). */
  onAccordMessage?: (message: ServerMessage) => void
  destroy(): void
}

export function connectReal(target: DocumentTarget, cookie: string, doc = new Y.Doc()): RealClient {
  return target.peer === 'hocuspocus' ? hocuspocusClient(target, doc) : websocketClient(target, cookie, doc)
}

function websocketClient(target: DocumentTarget, cookie: string, doc: Y.Doc): RealClient {
  const provider = new WebsocketProvider(target.wsBase, target.name, doc, {
    WebSocketPolyfill: (cookie
      ? cookieWebSocket(cookie)
      : WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  const client: RealClient = {
    doc,
    body: doc.getXmlFragment(BODY_FIELD),
    synced: new Promise((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return
        provider.off('sync', onSync)
        resolve()
      }
      provider.on('sync', onSync)
    }),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
  if (target.peer === 'accord') {
    provider.messageHandlers[MESSAGE_ACCORD] = (_encoder, decoder) => {
      client.onAccordMessage?.(JSON.parse(decoding.readVarString(decoder)) as ServerMessage)
    }
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') sayHello(provider)
    })
  }
  return client
}

function hocuspocusClient(target: DocumentTarget, doc: Y.Doc): RealClient {
  let resolveSynced!: () => void
  const synced = new Promise<void>((resolve) => {
    resolveSynced = resolve
  })
  // The provider hands its configuration to the socket it creates, WebSocketPolyfill included (Node 20 has no
  // global WebSocket); the configuration type just does not list it.
  const configuration = {
    url: target.wsBase,
    name: target.name,
    document: doc,
    WebSocketPolyfill: WebSocket,
    onSynced: () => resolveSynced(),
  }
  const provider = new HocuspocusProvider(configuration as HocuspocusProviderConfiguration)
  return {
    doc,
    body: doc.getXmlFragment(BODY_FIELD),
    synced,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}
