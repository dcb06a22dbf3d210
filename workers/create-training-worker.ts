/** Starts a training worker; the window passes this to TrainingBridge (Vite bundles the worker from this URL). */
export function createTrainingWorker(): Worker {
  return new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'lablog-training' })
}
