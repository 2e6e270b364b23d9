/**
 * One request written by hand on a TCP socket, for what fetch will not send: a forged Host header, a WebSocket
 * upgrade with any Origin. Answers the status code of the response (101 for an accepted upgrade).
 */
import net from 'node:net'

export async function rawStatus(
  port: number,
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown },
): Promise<number> {
  const body = request.body === undefined ? '' : JSON.stringify(request.body)
  const headers: Record<string, string> = { connection: 'close', ...request.headers }
  if (body) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  const socket = net.connect(port, '127.0.0.1')
  socket.write(`${request.method} ${request.path} HTTP/1.1\r\n${head}\r\n${body}`)
  let received = ''
  try {
    for await (const chunk of socket) {
      received += String(chunk)
      const statusLine = /^HTTP\/1\.1 (\d{3}) /.exec(received)
      if (statusLine) return Number(statusLine[1])
    }
    throw new Error(`no HTTP status line in ${JSON.stringify(received)}`)
  } finally {
    socket.destroy()
  }
}

/** The headers of a WebSocket upgrade (RFC 6455), plus the ones given. */
export function upgradeHeaders(headers: Record<string, string>): Record<string, string> {
  return {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...headers,
  }
}
