import { PageHeader } from './ui.tsx'

export function NotFoundScreen() {
  return (
    <>
      <PageHeader title="Page not found" back={{ to: '/', label: 'Back to the workspace' }} />
      <p>There is nothing at this address. It may have been removed, or you may not have access to it.</p>
    </>
  )
}
