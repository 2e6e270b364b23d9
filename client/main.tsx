import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router-dom'
import { App } from './App.tsx'
import { isEditorPath, loadEditorCode } from './editor/editorCode.ts'
import './styles.css'

// Opening a deliverable: its editor's code is fetched while the sign-in check runs (editorCode.ts).
if (isEditorPath(location.pathname)) void loadEditorCode().catch(() => undefined)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
)
