/** The tracking, artifact and model registry stores for an http(s) tracking URI, as src/store/uri.ts builds them. */
import { HttpTransport } from './http-transport.ts'
import { type RemoteOptions, remoteEndpoint, resolveRemoteOptions } from './remote-options.ts'
import { RestArtifactStore } from './rest-artifacts.ts'
import { RestModelRegistryStore } from './rest-registry.ts'
import { RestTrackingStore } from './rest-store.ts'

/**
 * The REST stores for one server, sharing one transport. `overrides` win over what
 * configureRemote set for this server (push passes its own `auth` this way).
 */
export function createRemoteStores(uri: string | URL, overrides: Pick<RemoteOptions, 'auth'> = {}): {
  tracking: RestTrackingStore; artifacts: RestArtifactStore; registry: RestModelRegistryStore
} {
  const endpoint = remoteEndpoint(uri)
  const transport = new HttpTransport(endpoint, () => {
    const options = resolveRemoteOptions(endpoint)
    return overrides.auth === undefined ? options : { ...options, auth: overrides.auth ?? undefined }
  })
  const tracking = new RestTrackingStore(endpoint, transport)
  const artifactUriOf = async (runId: string) => (await tracking.getRun(runId)).info.artifactUri
  const artifacts = new RestArtifactStore(transport, artifactUriOf)
  // The registry lives on the tracking server itself (MLflow's default registry URI is the tracking URI).
  const registry = new RestModelRegistryStore(transport, artifactUriOf)
  return { tracking, artifacts, registry }
}
