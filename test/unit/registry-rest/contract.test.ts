// The same registry checks for the local IndexedDB registry and for the REST registry against the test server.
import { expect } from 'vitest'
import { clearStoreCache } from '../../../src/store/uri.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { describeRegistryStoreContract } from '../../support/registry-store-contract.ts'
import { startRestHarness } from '../../support/rest-harness.ts'

describeRegistryStoreContract('the local IndexedDB registry', async () => {
  const client = new MlflowClient(freshTrackingUri('registry-contract'))
  return { client, close: async () => clearStoreCache() }
})

describeRegistryStoreContract('the REST registry', async () => {
  const harness = await startRestHarness()
  return {
    client: harness.client,
    close: async () => {
      // Every request must be one MLflow would accept, field for field (method, names, types).
      expect(harness.server.violations()).toEqual([])
      await harness.close()
    },
  }
})
