import { useState } from 'react'
import { Route, Routes, useParams } from 'react-router-dom'
import { AuthProvider } from './account/auth.tsx'
import { LoginScreen } from './account/LoginScreen.tsx'
import { RequireAuth } from './account/RequireAuth.tsx'
import { SetupScreen } from './account/SetupScreen.tsx'
import { UsersScreen } from './account/UsersScreen.tsx'
import { prefetchDeliverable } from './editor/deliverablePrefetch.ts'
import { useEditorCode } from './editor/editorCode.ts'
import { ImportScreen } from './import/ImportScreen.tsx'
import { NewMeetingScreen } from './meetings/MeetingForms.tsx'
import { MeetingScreen } from './meetings/MeetingScreen.tsx'
import { DeliverableMembersScreen, GroupMembersScreen } from './members/MembersScreen.tsx'
import { Announcer } from './shell/Announcer.tsx'
import { AppShell } from './shell/AppShell.tsx'
import { NotFoundScreen } from './shell/NotFoundScreen.tsx'
import { VersionsScreen } from './versions/VersionsScreen.tsx'
import { NewDeliverableScreen } from './workspace/NewDeliverableScreen.tsx'
import { NewGroupScreen } from './workspace/NewGroupScreen.tsx'
import { WorkspaceScreen } from './workspace/WorkspaceScreen.tsx'

function EditorRoute() {
  const { id = '' } = useParams()
  // Once per opening: the deliverable is asked for while the editor's code loads.
  useState(() => prefetchDeliverable(id))
  const code = useEditorCode()
  if (code.module) return <code.module.EditorScreen />
  if (code.failed) {
    return (
      <main id="main" className="page">
        <p role="alert">The editor could not be loaded (the connection may have dropped).</p>
        <button type="button" onClick={code.retry}>
          Try again
        </button>
      </main>
    )
  }
  return (
    <p className="loading-page" role="status">
      Loading the editor…
    </p>
  )
}

export function App() {
  return (
    <AuthProvider>
      <Announcer>
        <Routes>
          <Route path="/setup" element={<SetupScreen />} />
          <Route path="/login" element={<LoginScreen />} />
          <Route element={<RequireAuth />}>
            <Route path="/d/:id" element={<EditorRoute />} />
            <Route element={<AppShell />}>
              <Route index element={<WorkspaceScreen />} />
              <Route path="/deliverables/new" element={<NewDeliverableScreen />} />
              <Route path="/deliverables/import" element={<ImportScreen />} />
              <Route path="/d/:id/members" element={<DeliverableMembersScreen />} />
              <Route path="/d/:id/versions" element={<VersionsScreen />} />
              <Route path="/groups/new" element={<NewGroupScreen />} />
              <Route path="/groups/:id/members" element={<GroupMembersScreen />} />
              <Route path="/admin/users" element={<UsersScreen />} />
              <Route path="/meetings/new" element={<NewMeetingScreen />} />
              <Route path="/meetings/:id" element={<MeetingScreen />} />
              <Route path="*" element={<NotFoundScreen />} />
            </Route>
          </Route>
        </Routes>
      </Announcer>
    </AuthProvider>
  )
}
