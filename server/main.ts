/** `npm start`: serves Accord on one port; SIGTERM flushes everything to disk and exits 0. */
import { CLOSE_CODES } from '../shared/protocol/messages.ts'
import { createAccordServer } from './app.ts'
import { loadConfig } from './config.ts'
import { warmDocxWorker } from './export/docxOffThread.ts'

const config = loadConfig()
const accord = await createAccordServer(config)
const port = await accord.listen()
// The export worker starts now, in the background, rather than during the first export.
void warmDocxWorker()
const { logger, metadata, setupToken } = accord.ctx
logger.info({ port, host: config.host, dataDir: config.dataDir }, 'Accord is listening')
const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`
if (metadata.unreadable) {
  console.error(`\nAccord started, but serves nothing until this is fixed:\n${metadata.unreadable}\n`)
} else if (!metadata.data.setupCompleted) {
  // Printed, not logged as JSON, so a person can click it.
  console.log(
    `\nAccord is running at ${base}\nFirst run: create the administrator at ${base}/setup?token=${setupToken}\n`,
  )
} else {
  console.log(`\nAccord is running at ${base}\n`)
}

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down: flushing documents')
  try {
    await accord.close(CLOSE_CODES.serviceRestart)
    logger.flush()
    process.exit(0)
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed')
    process.exit(1)
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
