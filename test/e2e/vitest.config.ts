// The e2e suite: the built PWA served by `vite preview` (started and stopped by global-setup.ts),
// driven by playwright-core in Debian's Chromium. Run: npx vitest run --config test/e2e/vitest.config.ts
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // One Chromium at a time: the machines have two cores.
    fileParallelism: false,
  },
})
