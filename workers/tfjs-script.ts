/**
 * The prebuilt tfjs browser file a web bundle ships, as bytes for exportWebBundle's `tfjsScript`.
 * Vite-only (`?url`: the file is emitted and precached, so exporting works offline), hence outside src/.
 */
import tfjsScriptUrl from '@tensorflow/tfjs/dist/tf.es2017.min.js?url'

/** Fetches the tfjs file once per call (from the precache when offline). */
export async function loadTfjsScript(): Promise<Blob> {
  const response = await fetch(tfjsScriptUrl)
  if (!response.ok) throw new Error(`Could not read ${tfjsScriptUrl}: HTTP ${response.status}`)
  return response.blob()
}
