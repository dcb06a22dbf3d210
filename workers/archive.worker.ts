/** The archive worker: exposes export and import (src/archive/worker-api.ts) through comlink, nothing more. */
import { expose } from 'comlink'
import { createArchiveWorkerApi } from '../src/archive/worker-api.ts'
import { installErrorTransfer } from '../src/core/error-transfer.ts'

installErrorTransfer()
expose(createArchiveWorkerApi())
