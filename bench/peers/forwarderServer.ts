/**
 * The floor: the least a y-protocols server can do and still serve the meeting's clients. It keeps no Y.Doc,
 * checks nothing and stores nothing: every update message is forwarded as received to every other connection
 * (one `ws` send each, as every peer does), awareness messages likewise when they carry a newer clock, and a
 * joining client gets the updates received so far, merged, as its sync step 2. No real server can deliver a
 * keystroke faster; the meeting measures it with the same clients and load, so that the peers' latencies can be
 * read against what the machine and the load generator cost by themselves.
 */
import http from 'node:http'
import * as decoding from 'lib0/decoding'
import { type WebSocket, WebSocketServer } from 'ws'
import * as Y from 'yjs'
import {
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  SYNC_STEP_1,
  SYNC_UPDATE,
} from '../../server/sync/wire.ts'
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../shared/protocol/messages.ts'

interface Room {
  connections: Set<WebSocket>
  updates: Uint8Array[]
  /** The latest awareness clock seen of each client. */
  presenceClocks: Map<number, number>
}

const rooms = new Map<string, Room>()

function forward(room: Room, from: WebSocket, message: Uint8Array): void {
  for (const connection of room.connections) if (connection !== from) connection.send(message)
}

/**
 * Whether an awareness update holds a state newer than the room has seen. Providers send on every change they
 * apply, remote ones included: forwarding those echoes blindly multiplies each presence renewal by the number
 * of providers (y-websocket's providers renew every 15 s), so even a bare relay must drop what it already sent.
 */
function newPresence(room: Room, update: Uint8Array): boolean {
  const decoder = decoding.createDecoder(update)
  let fresh = false
  for (let entries = decoding.readVarUint(decoder); entries > 0; entries--) {
    const client = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    decoding.readVarString(decoder)
    if (clock > (room.presenceClocks.get(client) ?? -1)) {
      room.presenceClocks.set(client, clock)
      fresh = true
    }
  }
  return fresh
}

/** Everything received so far, merged once per join at most (joins are rare, keystrokes are not). */
function wholeDocument(room: Room): Uint8Array {
  if (room.updates.length > 1) room.updates = [Y.mergeUpdates(room.updates)]
  return room.updates[0] ?? new Uint8Array([0, 0])
}

function receive(room: Room, connection: WebSocket, data: Uint8Array): void {
  const decoder = decoding.createDecoder(data)
  const type = decoding.readVarUint(decoder)
  if (type === MESSAGE_AWARENESS) {
    if (newPresence(room, decoding.readVarUint8Array(decoder))) forward(room, connection, data)
    return
  }
  if (type !== MESSAGE_SYNC) return
  const step = decoding.readVarUint(decoder)
  if (step === SYNC_STEP_1) {
    connection.send(encodeSyncStep2(wholeDocument(room)))
    return
  }
  const update = decoding.readVarUint8Array(decoder)
  // An empty update (a client answering our step 1 with nothing new) changes nothing for anyone.
  if (update.length <= 2 && update.every((byte) => byte === 0)) return
  // Copied: the message may be a view into a larger chunk read from the socket, which keeping it would retain.
  room.updates.push(new Uint8Array(update))
  forward(room, connection, step === SYNC_UPDATE ? data : encodeSyncUpdate(update))
}

const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (connection) => {
    const name = (request.url ?? '/').slice(1).split('?')[0] ?? ''
    const joined = rooms.get(name) ?? { connections: new Set(), updates: [], presenceClocks: new Map() }
    rooms.set(name, joined)
    joined.connections.add(connection)
    connection.on('message', (data: Buffer) => {
      try {
        receive(joined, connection, data)
      } catch {
        connection.close(1003, 'unreadable message')
      }
    })
    connection.on('close', () => joined.connections.delete(connection))
    // Our step 1 with an empty state vector: the client answers with everything it has.
    connection.send(encodeSyncStep1(new Uint8Array([0])))
  })
})
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`forwarding at '${process.env.HOST}' on port ${process.env.PORT}`)
})
