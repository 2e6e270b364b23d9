import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const server = 'http://127.0.0.1:8080'

// The server serves dist/client with index.html as the SPA fallback and a strict CSP (script-src 'self'), so the
// build must not inline any script: Vite's module preload polyfill is an inline-free module, which is fine.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // Inlined assets would become data: URLs; images are allowed as data:, but fonts and scripts are not.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: false },
      '/sync': { target: server, ws: true, changeOrigin: false },
    },
  },
})
