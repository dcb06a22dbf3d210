/** The tracking and artifact stores for an http(s) tracking URI, as src/store/uri.ts builds them. */
import { HttpTransport } from './http-transport.ts'
import { remoteEndpoint } from './remote-options.ts'
import { RestArtifactStore } from './rest-artifacts.ts'
import { RestTrackingStore } from './rest-store.ts'

/** Both REST stores for one server, sharing one transport (and so its options). */
export function createRemoteStores(uri: string | URL): { tracking: RestTrackingStore; artifacts: RestArtifactStore } {
  const endpoint = remoteEndpoint(uri)
  const transport = new HttpTransport(endpoint)
  const tracking = new RestTrackingStore(endpoint, transport)
  const artifacts = new RestArtifactStore(transport, async runId => (await tracking.getRun(runId)).info.artifactUri)
  return { tracking, artifacts }
}
