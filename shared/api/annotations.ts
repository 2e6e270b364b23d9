/**
 * API.md "Comments and suggestions": request bodies, validated once, and the shapes answers carry. A comment or
 * suggestion is presented with what the server can tell of its anchor now (`removed`: its text is gone).
 */
import { z } from 'zod'
import type { Comment, Suggestion } from '../domain/annotations.ts'
import { fields } from './fields.ts'

/** A base64 `Y.encodeRelativePosition`: a few dozen bytes; the bound keeps hostile input small. */
const relativePosition = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')

export const anchor = z.object({ start: relativePosition, end: relativePosition })

const messageBody = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(10_000, 'must be at most 10000 characters')
const mentions = z.array(fields.id).max(50, 'at most 50 mentions').optional()

export const newCommentBody = z.object({
  sectionId: fields.id,
  anchor: anchor.optional(),
  body: messageBody,
  replyTo: fields.id.optional(),
  mentions,
})
export type NewCommentBody = z.infer<typeof newCommentBody>

export const editCommentBody = z.object({ body: messageBody, mentions })

export const newSuggestionBody = z.object({
  sectionId: fields.id,
  anchor,
  replacement: fields.suggestion,
})
export type NewSuggestionBody = z.infer<typeof newSuggestionBody>

/** Its author grows an open suggestion: the new range (in the same section) and text. */
export const revisedSuggestionBody = z.object({ anchor, replacement: fields.suggestion })

/** A comment as answers and live messages carry it. */
export type PresentedComment = Comment & { removed: boolean }
export type PresentedSuggestion = Suggestion & { removed: boolean }
