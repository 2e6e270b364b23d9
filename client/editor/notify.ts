/** How the editor's extensions tell the user (in the page's live region) what a command or key did, or why not. */
export interface NotifyOptions {
  notify: (message: string) => void
}

/** The options of an extension nobody listens to (tests, or before the page configures it). */
export const quietByDefault = (): NotifyOptions => ({ notify: () => undefined })
