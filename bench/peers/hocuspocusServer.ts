/**
 * The Hocuspocus server with its default settings (no extensions: in memory), on loopback; with REDIS_URL, one
 * instance of several sharing documents through @hocuspocus/extension-redis (the cluster scenario's peer).
 */
import { Redis } from '@hocuspocus/extension-redis'
import { Server } from '@hocuspocus/server'

const redis = process.env.REDIS_URL ? new URL(process.env.REDIS_URL) : null
const server = new Server({
  port: Number(process.env.PORT),
  address: '127.0.0.1',
  extensions: redis ? [new Redis({ host: redis.hostname, port: Number(redis.port) })] : [],
})
await server.listen()
