/** The training worker: exposes the training API (src/training/worker-api.ts) through comlink, nothing more. */
import { expose } from 'comlink'
import { installErrorTransfer } from '../src/core/error-transfer.ts'
import { createTrainingWorkerApi } from '../src/training/worker-api.ts'
import { wasmPaths } from './wasm-paths.ts'

installErrorTransfer()
expose(createTrainingWorkerApi({ wasmPaths, datasetBaseUrl: `${import.meta.env.BASE_URL}datasets/` }))
