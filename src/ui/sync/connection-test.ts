/** "Test connection": one experiments search against a server, turned into a line the Sync page shows. */
import { MlflowClient, isMlflowError } from '../../index.ts'
import { describeError } from '../errors.ts'
import { type RemoteServer, configureServer } from './servers.ts'

/** What a connection test found; `message` is the library's own words on failure (the CORS diagnosis among them). */
export interface ConnectionResult { ok: boolean; message: string }

/**
 * Searches one experiment through the REST store, so the request carries the server's credentials and
 * a browser CORS block comes back as the library's diagnosis (which names this origin and the fixes).
 */
export async function testConnection(server: RemoteServer): Promise<ConnectionResult> {
  configureServer(server)
  try {
    await new MlflowClient(server.url).searchExperiments({ maxResults: 1 })
    return { ok: true, message: `Connected: ${server.url} answered as an MLflow tracking server.` }
  } catch (error) {
    if (isMlflowError(error, 'UNAUTHENTICATED')) return { ok: false, message: `The server asks for credentials, or refused these ones: ${describeError(error)}` }
    return { ok: false, message: describeError(error) }
  }
}
