/**
 * A minimal WebSocket client over a TCP socket, for the raw followers: hundreds of them share the load
 * generator's one core, and the `ws` client costs about as much per received frame as a server spends
 * forwarding it, which would make the benchmark measure itself. This one reads unfragmented binary frames
 * straight out of each TCP chunk (one timestamp per chunk), answers pings, and sends with a zero mask.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'

export interface LightSocket {
  send(payload: Uint8Array): void
  /** Drops the TCP connection (no closing handshake). */
  terminate(): void
  readonly open: boolean
}

export interface LightHandlers {
  /** A binary or text message; `payload` is only valid during the call (copy what you keep). */
  onMessage(payload: Uint8Array, receivedAt: number): void
  onClose?(code: number, reason: string): void
}

const OP_CONTINUATION = 0x0
const OP_CLOSE = 0x8
const OP_PING = 0x9

function frame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength
  const extended = length < 126 ? 0 : length < 65_536 ? 2 : 8
  const out = Buffer.allocUnsafe(2 + extended + 4 + length)
  out[0] = 0x80 | opcode
  out[1] = 0x80 | (extended === 0 ? length : extended === 2 ? 126 : 127)
  if (extended === 2) out.writeUInt16BE(length, 2)
  else if (extended === 8) out.writeBigUInt64BE(BigInt(length), 2)
  // A zero masking key: the frame is masked as RFC 6455 requires, and the payload is copied unchanged.
  out.writeUInt32BE(0, 2 + extended)
  out.set(payload, 2 + extended + 4)
  return out
}

export function openLightSocket(
  url: string,
  headers: Record<string, string>,
  handlers: LightHandlers,
): Promise<LightSocket> {
  const { hostname, port, pathname, search } = new URL(url)
  const tcp = net.connect({ host: hostname, port: Number(port), noDelay: true })
  let open = false
  let closed = false
  let closeCode = 1006
  let closeReason = ''
  let head: Buffer | null = Buffer.alloc(0)
  let rest: Buffer | null = null
  /** A frame whose payload spans several chunks: filled in place. */
  let partial: { buffer: Buffer; filled: number; opcode: number } | null = null

  const socket: LightSocket = {
    send: (payload) => {
      if (open) tcp.write(frame(0x2, payload))
    },
    terminate: () => tcp.destroy(),
    get open() {
      return open
    },
  }

  const deliver = (opcode: number, payload: Buffer, at: number) => {
    if (opcode === OP_PING) tcp.write(frame(0xa, payload))
    else if (opcode === OP_CLOSE) {
      closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005
      closeReason = payload.subarray(2).toString('utf8')
      tcp.end()
    } else if (opcode !== 0xa) handlers.onMessage(payload, at)
  }

  const readFrames = (chunk: Buffer, at: number) => {
    let data = chunk
    if (partial) {
      const take = Math.min(partial.buffer.length - partial.filled, data.length)
      data.copy(partial.buffer, partial.filled, 0, take)
      partial.filled += take
      data = data.subarray(take)
      if (partial.filled < partial.buffer.length) return
      const done = partial
      partial = null
      deliver(done.opcode, done.buffer, at)
    }
    if (rest) {
      data = Buffer.concat([rest, data])
      rest = null
    }
    let offset = 0
    while (offset + 2 <= data.length) {
      const opcode = data[offset]! & 0x0f
      let length = data[offset + 1]! & 0x7f
      let start = offset + 2
      if (length === 126) {
        if (start + 2 > data.length) break
        length = data.readUInt16BE(start)
        start += 2
      } else if (length === 127) {
        if (start + 8 > data.length) break
        length = Number(data.readBigUInt64BE(start))
        start += 8
      }
      if (opcode === OP_CONTINUATION) throw new Error('fragmented frames are not supported')
      const end = start + length
      if (end > data.length) {
        if (length > 65_536) {
          partial = { buffer: Buffer.allocUnsafe(length), filled: data.length - start, opcode }
          data.copy(partial.buffer, 0, start)
          return
        }
        break
      }
      deliver(opcode, data.subarray(start, end), at)
      offset = end
    }
    if (offset < data.length) rest = data.subarray(offset)
  }

  return new Promise((resolve, reject) => {
    tcp.on('connect', () => {
      const lines = [
        `GET ${pathname}${search} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ]
      tcp.write(`${lines.join('\r\n')}\r\n\r\n`)
    })
    tcp.on('data', (chunk: Buffer) => {
      const at = performance.now()
      if (head) {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head.subarray(0, end).toString('latin1'))?.[1])
        const after = head.subarray(end + 4)
        head = null
        if (status !== 101) {
          tcp.destroy()
          reject(new Error(`upgrade refused: HTTP ${status}`))
          return
        }
        open = true
        resolve(socket)
        // Frames that came with the handshake wait until the caller holds the socket; later chunks queue behind.
        if (after.length > 0) {
          rest = after
          setImmediate(() => readFrames(Buffer.alloc(0), at))
        }
        return
      }
      readFrames(chunk, at)
    })
    tcp.on('error', (error) => {
      if (!open) reject(error)
    })
    tcp.on('close', () => {
      if (closed) return
      closed = true
      open = false
      handlers.onClose?.(closeCode, closeReason)
    })
  })
}
