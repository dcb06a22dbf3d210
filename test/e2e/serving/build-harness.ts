/**
 * Builds the serving harness (harness-app/ plus the app's real src/sw.ts) the way the app's PWA
 * build does — vite-plugin-pwa with `injectManifest` — so the tests exercise the shipped worker.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

const HERE = dirname(fileURLToPath(import.meta.url))
const SRC = join(HERE, '..', '..', '..', 'src')

/** Builds into `outDir` (emptied first): index.html, its script chunks, and a precaching sw.js. */
export async function buildServingHarness(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(HERE, 'harness-app'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
    plugins: [
      VitePWA({
        strategies: 'injectManifest',
        srcDir: SRC,
        filename: 'sw.ts',
        injectRegister: false,
        manifest: false,
        injectManifest: {
          globPatterns: ['**/*.{js,html}'],
          maximumFileSizeToCacheInBytes: 10 * 1024 * 1024,
          // One classic script: an ES-format worker keeps Vite's preload helper (import.meta), which a
          // classic service worker cannot evaluate, and service workers may not import() at all.
          rollupFormat: 'iife',
        },
      }),
    ],
  })
}
