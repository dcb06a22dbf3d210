// In a browser, a server that does not allow the page's origin must give an error that says so and
// how to fix it; a server that is simply down must not be blamed on CORS. The browser is simulated:
// a page origin, and a fetch that fails as Chromium's does when CORS blocks a request.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { configureRemote } from '../../../src/store/rest/remote-options.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { MlflowTestServer } from '../../support/mlflow-test-server.ts'

let server: MlflowTestServer | undefined
afterEach(async () => { vi.unstubAllGlobals(); await server?.close() })

const PAGE_ORIGIN = 'http://localhost:5173'

function pretendBrowserPage(): void {
  vi.stubGlobal('document', {})
  vi.stubGlobal('location', { origin: PAGE_ORIGIN, href: `${PAGE_ORIGIN}/` })
}

/** Like a browser talking to a server without Access-Control-* headers: CORS requests fail opaquely, no-cors ones get through. */
const corsBlockingFetch: typeof fetch = async (input, init) => {
  if (init?.mode === 'no-cors') return fetch(input, { method: init.method })
  throw new TypeError('Failed to fetch')
}

describe('a browser blocked by CORS', () => {
  it('gets an error naming the origin and the three fixes, without retrying', async () => {
    server = await MlflowTestServer.start()
    pretendBrowserPage()
    const sleeps: number[] = []
    configureRemote(server.url, { fetch: corsBlockingFetch, sleep: async ms => { sleeps.push(ms) } })
    const error = await new MlflowClient(server.url).createExperiment('from-browser').catch((caught: unknown) => caught)
    expect(isMlflowError(error, 'PERMISSION_DENIED')).toBe(true)
    const message = (error as Error).message
    expect(message).toContain(`origin ${PAGE_ORIGIN} (CORS)`)
    expect(message).toContain(`--cors-allowed-origins ${PAGE_ORIGIN}`)
    expect(message).toMatch(/reverse proxy/)
    expect(message).toMatch(/lablog push/)
    expect(sleeps).toEqual([])
    expect(server.requestsTo('experiments/create')).toHaveLength(0)
  })

  it('is told the server is unreachable, not CORS, when nothing answers', async () => {
    server = await MlflowTestServer.start()
    const url = server.url
    await server.close()
    server = undefined
    pretendBrowserPage()
    const failing: typeof fetch = async () => { throw new TypeError('Failed to fetch') }
    configureRemote(url, { fetch: failing, sleep: async () => {}, retry: { maxAttempts: 2 } })
    const error = await new MlflowClient(url).getExperiment('0').catch((caught: unknown) => caught)
    expect(isMlflowError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toMatch(/could not reach the MLflow server/)
  })
})
