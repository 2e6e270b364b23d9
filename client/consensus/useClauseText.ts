import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { clauseTextIn } from './clauseSource.ts'

const SETTLE_MS = 250

/** The clause's own plain text in the replica, kept current a moment after changes stop; null when off. */
export function useClauseText(
  body: Y.XmlFragment | null,
  clauseId: string | null,
  enabled: boolean,
): string | null {
  const [text, setText] = useState<string | null>(null)
  useEffect(() => {
    if (!body || !clauseId || !enabled) {
      setText(null)
      return
    }
    const doc = body.doc
    let timer: ReturnType<typeof setTimeout> | undefined
    const read = () => setText(clauseTextIn(body, clauseId))
    const onUpdate = () => {
      clearTimeout(timer)
      timer = setTimeout(read, SETTLE_MS)
    }
    read()
    doc?.on('update', onUpdate)
    return () => {
      clearTimeout(timer)
      doc?.off('update', onUpdate)
    }
  }, [body, clauseId, enabled])
  return text
}
