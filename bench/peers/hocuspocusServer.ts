/** The Hocuspocus server with its default settings (no extensions: in memory), on loopback. */
import { Server } from '@hocuspocus/server'

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1' })
await server.listen()
