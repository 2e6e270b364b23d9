/**
 * A number that grows after the editor's document or layout changed: a cue to re-measure. At most once a frame,
 * or, with `idleMs`, once the changes paused that long (a margin with thousands of threads must not be measured
 * on every keystroke).
 */
import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'

export function useDocVersion(editor: Editor | null, idleMs = 0): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (!editor) return
    let frame = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const next = () => setVersion((v) => v + 1)
    const bump = () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
      if (idleMs > 0) timer = setTimeout(next, idleMs)
      else frame = requestAnimationFrame(next)
    }
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) bump()
    }
    editor.on('transaction', onTransaction)
    window.addEventListener('resize', bump)
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
      editor.off('transaction', onTransaction)
      window.removeEventListener('resize', bump)
    }
  }, [editor, idleMs])
  return version
}
