/**
 * A TCP proxy between a browser and the server that a test controls. Playwright's offline emulation does not
 * close open WebSockets (SYNC.md §6), so a browser is taken offline here instead: `cut()` destroys every open
 * connection and refuses new ones until `restore()`. The proxy only forwards bytes: the browser names the proxy's
 * address as its origin, which the server does not take for its own (it trusts the address a connection arrived
 * on and PUBLIC_ORIGIN, never the Host header), so it would refuse that browser's state-changing requests and
 * WebSocket upgrades with 403. `startServerBehindProxy` starts the proxy first and the server with PUBLIC_ORIGIN
 * set to the proxy's URL, as a deployment behind a reverse proxy is configured.
 */
import net from 'node:net'
import { startTestServer, type TestServer, type TestServerOptions } from './testServer.ts'

export interface TcpProxy {
  port: number
  /** http://127.0.0.1:<port> */
  url: string
  /** Where connections go; may be set after the proxy started (e.g. once the server knows its port). */
  targetPort: number
  cut(): void
  restore(): void
  readonly isCut: boolean
  /** Connections currently open through the proxy. */
  readonly openConnections: number
  close(): Promise<void>
}

export async function startTcpProxy(targetPort = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  const clients = new Set<net.Socket>()
  let cut = false
  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }

  const server = net.createServer((client) => {
    if (cut) {
      client.destroy()
      return
    }
    const upstream = net.connect(proxy.targetPort, '127.0.0.1')
    clients.add(client)
    client.once('close', () => clients.delete(client))
    track(client)
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end)
    upstream.on('error', end)
    client.on('close', end)
    upstream.on('close', end)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    targetPort,
    cut() {
      cut = true
      for (const socket of sockets) socket.destroy()
    },
    restore() {
      cut = false
    },
    get isCut() {
      return cut
    },
    get openConnections() {
      return [...clients].filter((socket) => !socket.destroyed).length
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
  return proxy
}

/**
 * A test server reached through a proxy a test controls: the proxy starts first, so that the server can be told
 * its URL as PUBLIC_ORIGIN (the origin a browser that goes through the proxy sends); then the proxy is pointed at
 * the server's port. The server stays reachable directly at `server.url` too (its own origin).
 */
export async function startServerBehindProxy(
  options: TestServerOptions = {},
): Promise<{ server: TestServer; proxy: TcpProxy }> {
  const proxy = await startTcpProxy()
  try {
    const publicOrigins = [options.env?.PUBLIC_ORIGIN, proxy.url].filter(Boolean).join(',')
    const server = await startTestServer({
      ...options,
      env: { ...options.env, PUBLIC_ORIGIN: publicOrigins },
    })
    proxy.targetPort = server.port
    return { server, proxy }
  } catch (error) {
    await proxy.close()
    throw error
  }
}
