export function SetupPendingScreen() {
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <h1>Accord is not set up yet</h1>
        <p>
          The first administrator creates their account from the setup link that the server printed when it
          started (it looks like <code>/setup?token=…</code>). Ask the person who runs the server for that
          link.
        </p>
      </div>
    </main>
  )
}
