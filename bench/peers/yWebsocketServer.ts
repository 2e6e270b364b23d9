/**
 * The reference y-websocket server, as y-websocket@2.1.0's own `bin/server.cjs` (not exported by the package)
 * runs it: an HTTP server answering "okay", and `setupWSConnection` from its `bin/utils` on every upgrade,
 * default in-memory behaviour.
 */
import http from 'node:http'
import { createRequire } from 'node:module'
import { WebSocketServer } from 'ws'

const require = createRequire(import.meta.url)
const { setupWSConnection } = require('y-websocket-server-v2/bin/utils') as {
  setupWSConnection: (socket: unknown, request: http.IncomingMessage) => void
}

const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`running at '${process.env.HOST}' on port ${process.env.PORT}`)
})
