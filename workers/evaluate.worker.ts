/** The evaluate worker: exposes the evaluate API (src/evaluate/worker-api.ts) through comlink, nothing more. */
import { expose } from 'comlink'
import { installErrorTransfer } from '../src/core/error-transfer.ts'
import { createEvaluateWorkerApi } from '../src/evaluate/worker-api.ts'

installErrorTransfer()
expose(createEvaluateWorkerApi())
