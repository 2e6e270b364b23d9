/**
 * A JSON answer with its entity tag, or 304 Not Modified when the request's If-None-Match names that tag: a client
 * that holds a list (the comments of a deliverable, 650 KB with 2,000 of them) asks whether it changed and gets a
 * few bytes back when it did not. Express answers 304 itself only to a request without `Cache-Control: no-cache`,
 * and every fetch that sets its own If-None-Match carries that header (the Fetch standard adds it): the condition
 * is evaluated here, as an origin server must (RFC 9110 §13.1.2), whatever the request says about caches.
 */
import type { Request, Response } from 'express'

export function sendJsonIfChanged(req: Request, res: Response, value: unknown): void {
  const body = JSON.stringify(value)
  // Express's own tag function: the tag `res.send` sets on the body is this one.
  const tagOf = req.app.get('etag fn') as ((body: string, encoding: BufferEncoding) => string) | undefined
  const tag = tagOf?.(body, 'utf8')
  // Set here, `res.send` does not hash the body again.
  if (tag) res.setHeader('ETag', tag)
  if (tag && namesTag(req.headers['if-none-match'], tag)) {
    res.status(304).end()
    return
  }
  res.type('application/json').send(body)
}

/** Whether an If-None-Match value lists `tag`, compared weakly (RFC 9110 §13.1.2: `W/` aside). */
function namesTag(header: string | undefined, tag: string): boolean {
  if (!header) return false
  const opaque = (value: string) => value.trim().replace(/^W\//, '')
  if (header.trim() === '*') return true
  return header.split(',').some((listed) => opaque(listed) === opaque(tag))
}
