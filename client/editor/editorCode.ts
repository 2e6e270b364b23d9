/**
 * The editor's code (Tiptap, Yjs: most of the application) as one chunk loaded on demand, started as early as
 * possible: at start-up when the address is a deliverable's, before the sign-in check answers, so that fetching
 * and compiling it overlaps with that check and the deliverable's request.
 *
 * It is not a `React.lazy` behind `<Suspense>`: React holds back revealing a suspended boundary's content until
 * 300 ms after its fallback was shown (its fallback throttle), which kept a loaded editor off the screen for a
 * tenth of a second on every opening (seen in a trace: the main thread idle, then a timer commits the screen).
 */
import { useEffect, useState } from 'react'

type EditorModule = typeof import('./EditorScreen.tsx')

let loading: Promise<EditorModule> | null = null
let loaded: EditorModule | null = null

/** Starts loading the editor's code unless it is loading or loaded; a failed load may be tried again. */
export function loadEditorCode(): Promise<EditorModule> {
  loading ??= import('./EditorScreen.tsx').then(
    (module) => {
      loaded = module
      return module
    },
    (error: unknown) => {
      loading = null
      throw error
    },
  )
  return loading
}

/** A deliverable's editor address (`/d/:id`, not its members or versions pages). */
export function isEditorPath(pathname: string): boolean {
  return /^\/d\/[^/]+\/?$/.test(pathname)
}

export type EditorCodeState = { module: EditorModule } | { module: null; failed: boolean }

/** The editor's code for a component to render: at once when loaded, otherwise after a normal state update. */
export function useEditorCode(): EditorCodeState & { retry: () => void } {
  const [state, setState] = useState<EditorCodeState>(() =>
    loaded ? { module: loaded } : { module: null, failed: false },
  )
  const [attempt, setAttempt] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt asks for another try
  useEffect(() => {
    if (state.module) return
    let current = true
    loadEditorCode().then(
      (module) => current && setState({ module }),
      () => current && setState({ module: null, failed: true }),
    )
    return () => {
      current = false
    }
  }, [attempt])
  const retry = () => {
    setState({ module: null, failed: false })
    setAttempt((n) => n + 1)
  }
  return { ...state, retry }
}
