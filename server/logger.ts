/** Structured logs (pino). Never log per keystroke at info level, never a password or a session token. */
import { pino } from 'pino'

export function createLogger(level: string) {
  return pino({
    level,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  })
}
export type { Logger } from 'pino'
