/** A test MLflow server plus a Lablog client pointed at it, with fast, recorded retry waits. */
import { MlflowClient } from '../../src/tracking/client.ts'
import { type RemoteOptions, configureRemote } from '../../src/store/rest/remote-options.ts'
import { MlflowTestServer, type TestServerOptions } from './mlflow-test-server.ts'

export interface RestHarness {
  server: MlflowTestServer
  client: MlflowClient
  /** Every wait the client asked for between tries, in ms (the real wait is capped, so tests stay fast). */
  delays: number[]
  close(): Promise<void>
}

export interface HarnessOptions {
  server?: TestServerOptions
  remote?: RemoteOptions
  /** Cap on the real time slept per wait; restart tests raise it so the server has time to come back. Default 5 ms. */
  realWaitCapMs?: number
}

export async function startRestHarness(options: HarnessOptions = {}): Promise<RestHarness> {
  const server = await MlflowTestServer.start(options.server)
  const delays: number[] = []
  const cap = options.realWaitCapMs ?? 5
  configureRemote(server.url, {
    retry: { maxAttempts: 6, initialDelayMs: 20, maxDelayMs: 10_000 },
    timeoutMs: 5_000,
    sleep: ms => { delays.push(ms); return new Promise(resolve => setTimeout(resolve, Math.min(ms, cap))) },
    ...options.remote,
  })
  const client = new MlflowClient(server.url)
  return { server, client, delays, close: () => server.close() }
}
