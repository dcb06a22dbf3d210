/** Reads mlruns runs' files for an import on a second thread (src/archive/read-ahead-worker.ts), nothing more. */
import { serveReadAhead } from '../src/archive/read-ahead-worker.ts'

serveReadAhead(self as unknown as Parameters<typeof serveReadAhead>[0])
