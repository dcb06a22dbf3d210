import { defineConfig, mergeConfig } from 'vitest/config'
import { playwright } from '@vitest/browser-playwright'
import viteConfig from './vite.config.ts'

// Chromium comes from Debian (apt-get install chromium); these flags keep it off the closed network.
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

export default mergeConfig(viteConfig, defineConfig({
  optimizeDeps: { include: ['dexie', 'comlink', 'fflate', 'yaml', 'papaparse', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', setupFiles: ['test/unit/setup.ts'], testTimeout: 30_000 } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            // gc() and precise heap figures: the export memory test (archive.test.ts) measures live heap, not
            // the garbage other test files, running alongside in the same page, leave until V8 collects.
            provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'] } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
}))
