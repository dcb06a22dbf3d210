import { defineConfig } from 'vite'

export default defineConfig({
  // Preact's automatic JSX runtime; Vite 8 transforms TSX with oxc.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
})
