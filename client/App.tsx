import { lazy, Suspense } from 'react'
import { Route, Routes } from 'react-router-dom'
import { AuthProvider } from './api/auth.tsx'
import { Announcer } from './components/Announcer.tsx'
import { AppShell } from './components/AppShell.tsx'
import { RequireAuth } from './components/RequireAuth.tsx'
import { LoginScreen } from './screens/LoginScreen.tsx'
import { DeliverableMembersScreen, GroupMembersScreen } from './screens/MembersScreen.tsx'
import { NewDeliverableScreen } from './screens/NewDeliverableScreen.tsx'
import { NewGroupScreen } from './screens/NewGroupScreen.tsx'
import { NotFoundScreen } from './screens/NotFoundScreen.tsx'
import { SetupScreen } from './screens/SetupScreen.tsx'
import { UsersScreen } from './screens/UsersScreen.tsx'
import { WorkspaceScreen } from './screens/WorkspaceScreen.tsx'

// The editor (Tiptap, Yjs) is most of the code: load it only when a deliverable is opened.
const EditorScreen = lazy(() =>
  import('./screens/EditorScreen.tsx').then((m) => ({ default: m.EditorScreen })),
)

function EditorRoute() {
  return (
    <Suspense
      fallback={
        <p className="loading-page" role="status">
          Loading the editor…
        </p>
      }
    >
      <EditorScreen />
    </Suspense>
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
              <Route path="/d/:id/members" element={<DeliverableMembersScreen />} />
              <Route path="/groups/new" element={<NewGroupScreen />} />
              <Route path="/groups/:id/members" element={<GroupMembersScreen />} />
              <Route path="/admin/users" element={<UsersScreen />} />
              <Route path="*" element={<NotFoundScreen />} />
            </Route>
          </Route>
        </Routes>
      </Announcer>
    </AuthProvider>
  )
}
