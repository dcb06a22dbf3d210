import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

export default defineConfig({
  // Preact's automatic JSX runtime; Vite 8 transforms TSX with oxc.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  plugins: [
    // The PWA: a web manifest and our own service worker (src/sw.ts) that precaches the app shell, lazy
    // chunks (plotly, tfjs), wasm and the built-in datasets, so the app loads and trains offline after one
    // visit; it also serves registered models at /serve/… and replays the outbox on Background Sync.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      // src/ui/components/update-prompt.tsx registers it (no inline script: the CSP forbids one).
      injectRegister: false,
      includeAssets: ['icons/*.svg', 'icons/*.png'],
      manifest: {
        name: 'Lablog — experiment tracking in your browser',
        short_name: 'Lablog',
        description: 'An MLflow-compatible experiment tracker that runs entirely in the browser, offline.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f7f8fa',
        theme_color: '#1d4ed8',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      // clientsClaim, skipWaiting on the update prompt's message, the index.html navigation fallback and
      // cleanupOutdatedCaches live in src/sw.ts now (workbox options do not apply to injectManifest).
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm,csv,json}'],
        // Workbox skips files over 2 MiB by default, which would silently break offline use (plotly, tfjs, wasm).
        maximumFileSizeToCacheInBytes: 10 * 1024 * 1024,
        // One classic script: an ES-format worker keeps Vite's preload helper (import.meta), which a
        // classic service worker cannot evaluate, and service workers may not import() at all.
        rollupFormat: 'iife',
      },
    }),
  ],
})
