/**
 * Turns what a user in suggestion mode types, deletes and pastes into suggestions (SYNC.md §7). Consecutive edits at
 * one place grow one draft (typing appends to its text, Backspace takes back a typed character or reaches one
 * character further left, Delete one further right); the draft is sent as one suggestion after a pause, when the
 * user edits elsewhere, or when suggestion mode ends. The document itself never changes.
 */
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import type { PresentedSuggestion } from '../../shared/api/annotations.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import { errorMessage } from '../api/http.ts'
import { annotationsApi } from './annotationsApi.ts'
import { anchorFromRange, rangeOfAnchor } from './editorAnchors.ts'

export interface SuggestionDraft {
  sectionId: string
  anchor: Anchor
  original: string
  replacement: string
  authorId: string
  /** The open suggestion this draft grows (typing went on at its end after it was sent). */
  grows?: string
}

/** An edit the user tried to make, in editor positions: replace `[from, to)` by `text`. */
export interface AttemptedEdit {
  from: number
  to: number
  text: string
  /** Backspace or Delete on a collapsed selection: which way to reach. */
  reach?: 'backward' | 'forward'
}

export interface DraftHost {
  deliverableId: string
  userId: string
  onDraft: (draft: SuggestionDraft | null) => void
  onSent: (suggestion: PresentedSuggestion) => void
  onError: (message: string) => void
  /** Whether a suggestion is still open (typing at its end grows it). */
  isOpen: (suggestionId: string) => boolean
}

/** A pause this long ends a run of typing: the draft goes to the server. */
const SEND_AFTER_MS = 1200

export class SuggestionDrafts {
  private draft: SuggestionDraft | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  /** The last suggestion sent: typing on at its end grows it instead of starting another. */
  private sent: (SuggestionDraft & { id: string }) | null = null

  constructor(
    private readonly editor: Editor,
    private readonly host: DraftHost,
  ) {}

  /** Handles one attempted edit; returns true when it was taken (always, in suggestion mode). */
  edit(attempt: AttemptedEdit): void {
    const { state } = this.editor
    const { from, to } = attempt
    this.resumeSent(from, to)
    const current = this.draft ? rangeOfAnchor(state, this.draft.anchor) : null
    const atEnd = current && from === to && from === current.to
    if (this.draft && current && atEnd) {
      if (attempt.reach === 'backward' && this.draft.replacement) {
        this.update(current.from, current.to, this.draft.replacement.slice(0, -1))
      } else if (attempt.reach === 'backward') {
        if (!this.canReach(current.from - 1)) return
        this.update(current.from - 1, current.to, '')
      } else if (attempt.reach === 'forward') {
        if (!this.canReach(current.to + 1)) return
        this.update(current.from, current.to + 1, this.draft.replacement)
      } else {
        this.update(current.from, current.to, this.draft.replacement + attempt.text)
      }
      return
    }
    this.send()
    let range = { from, to }
    if (from === to && attempt.reach === 'backward') range = { from: from - 1, to }
    if (from === to && attempt.reach === 'forward') range = { from, to: to + 1 }
    if (attempt.reach && !this.canReach(attempt.reach === 'backward' ? range.from : range.to)) return
    this.update(range.from, range.to, attempt.text)
  }

  /** A collapsed edit at the end of the suggestion just sent (still open) continues it as a draft. */
  private resumeSent(from: number, to: number): void {
    const sent = this.sent
    if (this.draft || !sent || from !== to || !this.host.isOpen(sent.id)) return
    const range = rangeOfAnchor(this.editor.state, sent.anchor)
    if (range?.to === from) this.setDraft({ ...sent, grows: sent.id })
  }

  /** Sends the draft now (a pause, an edit elsewhere, suggestion mode ending). */
  send(): void {
    clearTimeout(this.timer)
    const draft = this.draft
    if (!draft) return
    this.setDraft(null)
    if (draft.original === draft.replacement) return
    const { sectionId, anchor, replacement, grows } = draft
    const { deliverableId } = this.host
    const request = grows
      ? annotationsApi.reviseSuggestion(deliverableId, grows, { anchor, replacement })
      : annotationsApi.addSuggestion(deliverableId, { sectionId, anchor, replacement })
    request.then(
      ({ suggestion }) => {
        this.sent = { ...draft, original: suggestion.original, id: suggestion.id }
        this.host.onSent(suggestion)
      },
      (error) => this.host.onError(`The suggestion was not saved: ${errorMessage(error)}`),
    )
  }

  destroy(): void {
    this.send()
  }

  /** A deletion may reach a character only within the same paragraph or field. */
  private canReach(pos: number): boolean {
    const { doc, selection } = this.editor.state
    if (pos < 0 || pos > doc.content.size) return false
    const $pos = doc.resolve(pos)
    return $pos.parent.isTextblock && $pos.sameParent(selection.$from)
  }

  private update(from: number, to: number, replacement: string): void {
    const placed = anchorFromRange(this.editor, from, to)
    if (typeof placed === 'string' || !placed.inOneText) {
      this.host.onError(
        typeof placed === 'string' ? placed : 'A suggestion changes text within one paragraph or field.',
      )
      return
    }
    if (!replacement && from === to && !this.draft?.grows) {
      this.setDraft(null)
      return
    }
    this.setDraft({
      ...(this.draft?.grows ? { grows: this.draft.grows } : {}),
      sectionId: placed.sectionId,
      anchor: placed.anchor,
      original: placed.text,
      replacement,
      authorId: this.host.userId,
    })
    // The caret waits after the draft, where the next character continues it.
    const { view } = this.editor
    const caret = TextSelection.create(view.state.doc, to)
    if (!view.state.selection.eq(caret)) view.dispatch(view.state.tr.setSelection(caret))
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.send(), SEND_AFTER_MS)
  }

  private setDraft(draft: SuggestionDraft | null): void {
    this.draft = draft
    this.host.onDraft(draft)
  }
}
