/** A number that grows after the editor's document or layout changed (at most once a frame): a cue to re-measure. */
import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'

export function useDocVersion(editor: Editor | null): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (!editor) return
    let frame = 0
    const bump = () => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => setVersion((v) => v + 1))
    }
    editor.on('update', bump)
    editor.on('transaction', bump)
    window.addEventListener('resize', bump)
    return () => {
      cancelAnimationFrame(frame)
      editor.off('update', bump)
      editor.off('transaction', bump)
      window.removeEventListener('resize', bump)
    }
  }, [editor])
  return version
}
