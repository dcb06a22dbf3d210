/** Parses mlruns metric files for an import on a second thread (src/archive/metric-worker.ts), nothing more. */
import { serveMetricRequests } from '../src/archive/metric-worker.ts'

serveMetricRequests(self as unknown as Parameters<typeof serveMetricRequests>[0])
