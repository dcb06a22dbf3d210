/**
 * The one place that loads TensorFlow.js, on first use: `import 'lablog'` must stay light
 * and Node-safe, so every tfjs-using function awaits this instead of importing tfjs at the top.
 */
import type * as TfModule from '@tensorflow/tfjs'

/** The `@tensorflow/tfjs` module, as the functions here receive it. */
export type Tf = typeof TfModule

let loading: Promise<Tf> | undefined

/** The tfjs module (the same instance the application imports, so models and prototypes match). */
export function loadTf(): Promise<Tf> {
  loading ??= import('@tensorflow/tfjs')
  return loading
}
