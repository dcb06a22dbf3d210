/** Per-test browser pages on the served app: a fresh context (empty IndexedDB), CSP violations and page errors recorded. */
import { inject } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { screenshotPath } from './harness.ts'

export interface AppPage { page: Page; context: BrowserContext; baseUrl: string; errors: string[] }

/** Opens the app at `hash` in a new context and waits until the library handle is ready. */
export async function openApp(browser: Browser, hash = '#/experiments'): Promise<AppPage> {
  const baseUrl = inject('baseUrl')
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', error => errors.push(error.message))
  await page.addInitScript(() => {
    const violations: string[] = []
    Object.assign(window, { __cspViolations: violations })
    document.addEventListener('securitypolicyviolation', event => violations.push(`${event.violatedDirective} ${event.blockedURI}`))
  })
  await page.goto(`${baseUrl}/${hash}`)
  await page.waitForFunction(() => 'lablog' in window)
  return { page, context, baseUrl, errors }
}

/** Goes to a hash route inside the running app (no reload). */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate(target => { location.hash = target }, hash)
}

/** CSP violations the page reported so far. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)
}

/** Saves a full-window screenshot into test-results/screenshots/ for reviewers. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let charts finish their first draw and toasts settle.
  await page.waitForTimeout(400)
  await page.screenshot({ path: screenshotPath(name) })
}
