/** Builds the app once (skip with LABLOG_E2E_SKIP_BUILD=1), serves it on a free port for every e2e file, stops it after. */
import type { TestProject } from 'vitest/node'
import { buildApp, startPreview } from './harness.ts'

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.LABLOG_E2E_SKIP_BUILD !== '1') await buildApp()
  const server = await startPreview()
  project.provide('baseUrl', server.url)
  return () => server.stop()
}
