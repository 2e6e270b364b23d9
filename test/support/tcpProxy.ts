/**
 * A TCP proxy between a browser and the server that a test controls. Playwright's offline emulation does not
 * close open WebSockets (SYNC.md §6), so a browser is taken offline here instead: `cut()` destroys every open
 * connection and refuses new ones until `restore()`. The proxy is transparent (the Host header names the proxy,
 * which the browser also uses as its origin), so the server's same-origin checks pass unchanged.
 */
import net from 'node:net'

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
