/** Starts an evaluate worker; pass this to EvaluateBridge (Vite bundles the worker from this URL). */
export function createEvaluateWorker(): Worker {
  return new Worker(new URL('./evaluate.worker.ts', import.meta.url), { type: 'module', name: 'lablog-evaluate' })
}
