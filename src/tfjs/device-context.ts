/**
 * Where a model trained: tfjs version and backend, user agent and core count as run tags, and
 * tfjs's memory figures as `system/` metrics (the MLflow UI groups those as system metrics).
 */
import type { Tf } from './load-tf.ts'

/** Tag keys of the device context. `lablog.` keeps them apart from MLflow's own `mlflow.` tags. */
export const DEVICE_TAGS = {
  tfjsVersion: 'lablog.tfjs.version',
  backend: 'lablog.tfjs.backend',
  userAgent: 'lablog.device.user_agent',
  logicalCores: 'lablog.device.logical_cores',
} as const

interface NavigatorLike { userAgent?: string; hardwareConcurrency?: number }
interface NodeProcessLike { version?: string; platform?: string; arch?: string; versions?: { node?: string } }

/** The user agent, or for Node (which has none before v21) a string in the same spirit. */
function userAgent(): string | undefined {
  const navigator = (globalThis as { navigator?: NavigatorLike }).navigator
  if (navigator?.userAgent) return navigator.userAgent
  const process = (globalThis as { process?: NodeProcessLike }).process
  if (process?.versions?.node) return `Node.js/${process.version} (${process.platform}; ${process.arch})`
  return undefined
}

async function logicalCores(): Promise<number | undefined> {
  const cores = (globalThis as { navigator?: NavigatorLike }).navigator?.hardwareConcurrency
  if (cores) return cores
  const process = (globalThis as { process?: NodeProcessLike }).process
  if (!process?.versions?.node) return undefined
  // Node 20 has no navigator: ask the os module, loaded only here so browsers never see it.
  const os = await import(/* @vite-ignore */ 'node:' + 'os') as { availableParallelism?: () => number; cpus: () => unknown[] }
  return os.availableParallelism?.() ?? os.cpus().length
}

/** The device tags for a run trained with this tfjs instance. */
export async function deviceTags(tf: Tf): Promise<Record<string, string>> {
  const tags: Record<string, string> = {
    [DEVICE_TAGS.tfjsVersion]: tf.version.tfjs,
    [DEVICE_TAGS.backend]: tf.getBackend() ?? 'unknown',
  }
  const agent = userAgent()
  if (agent) tags[DEVICE_TAGS.userAgent] = agent
  const cores = await logicalCores().catch(() => undefined)
  if (cores) tags[DEVICE_TAGS.logicalCores] = String(cores)
  return tags
}

/** tf.memory() as metric values: tensors, data buffers and bytes held (and GPU bytes on webgl). */
export function memoryMetrics(tf: Tf): Record<string, number> {
  const memory = tf.memory() as ReturnType<Tf['memory']> & { numBytesInGPU?: number }
  const metrics: Record<string, number> = {
    'system/tfjs_num_tensors': memory.numTensors,
    'system/tfjs_num_data_buffers': memory.numDataBuffers,
    'system/tfjs_num_bytes': memory.numBytes,
  }
  if (typeof memory.numBytesInGPU === 'number') metrics['system/tfjs_num_bytes_in_gpu'] = memory.numBytesInGPU
  return metrics
}
