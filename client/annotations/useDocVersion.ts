/**
 * A number that grows after the editor's document or layout changed: a cue to re-measure. Changes in a row (typing,
 * other people's edits) count once, after a short pause or at the latest MAX_WAIT_MS after the first: each new
 * number renders the margin again, and a render while the caret is in the text costs React a walk of the whole
 * editor's DOM (it saves the selection around every commit), which per keystroke slowed typing on big deliverables.
 * With `idleMs`, only once the changes paused that long (a margin with thousands of threads is not measured while
 * someone types).
 */
import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { debounce } from '../shell/debounce.ts'

const PAUSE_MS = 100
const MAX_WAIT_MS = 400

export function useDocVersion(editor: Editor | null, idleMs = 0): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (!editor) return
    const next = () => setVersion((v) => v + 1)
    const later = idleMs > 0 ? debounce(next, idleMs) : debounce(next, PAUSE_MS, MAX_WAIT_MS)
    const bump = () => later.schedule()
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) bump()
    }
    editor.on('transaction', onTransaction)
    window.addEventListener('resize', bump)
    return () => {
      later.cancel()
      editor.off('transaction', onTransaction)
      window.removeEventListener('resize', bump)
    }
  }, [editor, idleMs])
  return version
}
