import { Link } from 'react-router-dom'
import type { DeliverableRole } from '../../shared/domain/types.ts'
import type { EndReason } from './collabSession.ts'

interface Props {
  mayEdit: boolean
  serverCanEdit: boolean | null
  role: DeliverableRole | undefined
  ended: EndReason | null
  loginHref: string
}

const ROLE_WORDS: Record<DeliverableRole, string> = {
  editor: 'an editor',
  participant: 'a participant',
  observer: 'an observer',
}

/** Explains, in words, why the text cannot be changed or why the connection stopped, and what to do. */
export function EditorBanners({ mayEdit, serverCanEdit, role, ended, loginHref }: Props) {
  if (ended === 'session') {
    return (
      <div className="banner banner-error" role="alert">
        <p>
          <strong>Your session has ended</strong> (you logged out elsewhere, or an administrator ended it).
          What you typed is kept on this device and will be merged when you log in again.
        </p>
        <Link to={loginHref} className="button primary" state={{ expired: true }}>
          Log in again
        </Link>
      </div>
    )
  }
  if (ended === 'forbidden' || ended === 'not-found') {
    return (
      <div className="banner banner-error" role="alert">
        <p>
          <strong>You no longer have access to this deliverable.</strong> Ask a chair of its group if you
          think this is a mistake.
        </p>
        <Link to="/" className="button">
          Back to the workspace
        </Link>
      </div>
    )
  }
  if (!mayEdit && serverCanEdit !== true && role === 'participant') {
    // Suggestion mode (#24): a participant's typing becomes suggestions, never changes to the text.
    return (
      <div className="banner banner-info" role="note" data-testid="read-only-banner">
        <p>
          <strong>Suggestions only.</strong> You are a participant of this deliverable: what you type becomes
          a suggestion that its editors and chairs accept or reject, and you can comment on any text.
        </p>
      </div>
    )
  }
  if (!mayEdit || serverCanEdit === false) {
    const who = role
      ? `You are ${ROLE_WORDS[role]} of this deliverable`
      : 'Your role does not include editing'
    return (
      <div className="banner banner-info" role="note" data-testid="read-only-banner">
        <p>
          <strong>Read only.</strong> {who}: you can read the text and follow changes live, but only its
          editors and the group's chairs change the text. Ask a chair to make you an editor if you need to.
        </p>
      </div>
    )
  }
  return null
}
