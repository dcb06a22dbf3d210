// The same behavioural checks for the local store and for the REST store against the test server.
import { clearStoreCache } from '../../../src/store/uri.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { startRestHarness } from '../../support/rest-harness.ts'
import { describeTrackingStoreContract } from '../../support/tracking-store-contract.ts'
import { expect } from 'vitest'

describeTrackingStoreContract('the local IndexedDB store', async () => {
  const client = new MlflowClient(freshTrackingUri('contract'))
  return { client, close: async () => clearStoreCache() }
})

describeTrackingStoreContract('the REST store', async () => {
  const harness = await startRestHarness()
  return {
    client: harness.client,
    close: async () => {
      // Every request the client sent must be one MLflow 2.17.2 accepts, field for field.
      expect(harness.server.violations()).toEqual([])
      await harness.close()
    },
  }
})
