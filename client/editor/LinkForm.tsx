import type { Editor } from '@tiptap/core'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { isSafeUrl } from '../../shared/editor/extensions.ts'

/** Adds, changes or removes the link on the selected text; only web and mail addresses are accepted. */
export function LinkForm({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const current = (editor.getAttributes('link').href as string | undefined) ?? ''
  const [url, setUrl] = useState(current)
  const [error, setError] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])

  const close = () => {
    onClose()
    editor.commands.focus()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const href = url.trim()
    if (!href) {
      editor.chain().focus().extendMarkRange('link').unsetLink().run()
      return onClose()
    }
    const full =
      /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/') || href.startsWith('#')
        ? href
        : `https://${href}`
    if (!isSafeUrl(full) || !/^(https?:|mailto:)/i.test(full)) {
      setError('Only web (http, https) and e-mail (mailto) links are allowed.')
      return
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href: full }).run()
    onClose()
  }

  return (
    <form
      className="link-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close()
      }}
    >
      <label htmlFor="link-url">Link address</label>
      <input
        id="link-url"
        ref={input}
        type="url"
        value={url}
        placeholder="https://"
        onChange={(event) => setUrl(event.target.value)}
        aria-invalid={!!error}
        aria-describedby={error ? 'link-error' : undefined}
      />
      <button type="submit" className="button small primary">
        {url.trim() ? 'Apply' : 'Remove link'}
      </button>
      <button type="button" className="button small" onClick={close}>
        Cancel
      </button>
      {error && (
        <p id="link-error" className="error-note" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
