/**
 * Picking and starting a tfjs backend for a training. wasm needs its binaries' URLs (the worker
 * entry imports them with Vite's `?url`, so they are served and precached, and work offline).
 */
import { invalidParameter } from '../core/errors.ts'
import type { Tf } from '../tfjs/load-tf.ts'
import type { BackendChoice, BackendName } from './spec.ts'

/** URLs of tfjs-backend-wasm's binaries, keyed by file name as `setWasmPaths` takes them. */
export type WasmPaths = Partial<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>

async function startWasm(tf: Tf, wasmPaths: WasmPaths | undefined): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  if (wasmPaths) wasm.setWasmPaths(wasmPaths)
  // The threaded build breaks after minification on cross-origin-isolated pages (TOOLCHAIN.md).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
}

/**
 * Makes `choice` the active backend and returns the one in use. `auto` picks wasm when its binaries
 * are served (wasmPaths given), else keeps tfjs's default (webgl in a browser that has it, cpu in Node).
 * An explicit backend that cannot start is INVALID_PARAMETER_VALUE naming the reason.
 */
export async function useBackend(tf: Tf, choice: BackendChoice = 'auto', wasmPaths?: WasmPaths): Promise<BackendName> {
  if (choice === 'auto') {
    if (wasmPaths) {
      try { return await useBackend(tf, 'wasm', wasmPaths) } catch { /* fall back to tfjs's default */ }
    }
    await tf.ready()
    return tf.getBackend() as BackendName
  }
  if (choice === 'wasm') await startWasm(tf, wasmPaths)
  if (choice === 'webgpu' && !tf.findBackendFactory('webgpu')) {
    throw invalidParameter("The webgpu backend needs the package @tensorflow/tfjs-backend-webgpu, which is not bundled; use 'webgl', 'wasm' or 'cpu'.")
  }
  if (!tf.findBackendFactory(choice)) throw invalidParameter(`Unknown tfjs backend '${choice}'. Choose cpu, wasm, webgl, webgpu or auto.`)
  let started = false
  try { started = await tf.setBackend(choice) } catch (error) {
    throw invalidParameter(`The ${choice} backend could not start here: ${(error as Error).message}`)
  }
  if (!started) throw invalidParameter(`The ${choice} backend is not available here (for webgl: no WebGL context in this browser or worker).`)
  await tf.ready()
  return choice
}
