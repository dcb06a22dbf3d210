/** Turns texts, dicts, images and plotly figures into the Blobs that logText/logDict/logImage/logFigure store. */
import { stringify as toYaml } from 'yaml'
import { invalidParameter } from '../core/errors.ts'

export function textBlob(text: string): Blob {
  return new Blob([text], { type: 'text/plain;charset=utf-8' })
}

/** JSON, or YAML when the file name ends in .yaml or .yml, as mlflow.log_dict does. */
export function dictBlob(dictionary: unknown, artifactFile: string): Blob {
  if (/\.ya?ml$/i.test(artifactFile)) return new Blob([toYaml(dictionary)], { type: 'application/yaml' })
  return new Blob([JSON.stringify(dictionary, null, 2)], { type: 'application/json' })
}

/** A plotly figure ({data, layout}) as the JSON the UI renders interactively. */
export function figureBlob(figure: { data: unknown[]; layout?: unknown }): Blob {
  if (!figure || !Array.isArray(figure.data)) throw invalidParameter('A plotly figure needs a "data" array of traces.')
  return new Blob([JSON.stringify({ data: figure.data, layout: figure.layout ?? {} })], { type: 'application/vnd.plotly.v1+json' })
}

export type ImageSource = Blob | ImageData | OffscreenCanvas | HTMLCanvasElement

/** PNG bytes of an image: a PNG Blob is kept as is, canvases and ImageData are encoded. */
export async function pngBlob(image: ImageSource): Promise<Blob> {
  if (typeof Blob !== 'undefined' && image instanceof Blob) {
    if (image.type && image.type !== 'image/png') throw invalidParameter(`logImage expects a PNG; got a Blob of type '${image.type}'.`)
    return image
  }
  if (typeof OffscreenCanvas !== 'undefined' && image instanceof OffscreenCanvas) return image.convertToBlob({ type: 'image/png' })
  if (typeof HTMLCanvasElement !== 'undefined' && image instanceof HTMLCanvasElement) {
    return new Promise((resolve, reject) => image.toBlob(blob => blob ? resolve(blob) : reject(invalidParameter('The canvas could not be encoded as PNG.')), 'image/png'))
  }
  if (typeof ImageData !== 'undefined' && image instanceof ImageData) {
    if (typeof OffscreenCanvas === 'undefined') throw invalidParameter('Encoding ImageData needs OffscreenCanvas (a browser or worker).')
    const canvas = new OffscreenCanvas(image.width, image.height)
    canvas.getContext('2d')!.putImageData(image, 0, 0)
    return canvas.convertToBlob({ type: 'image/png' })
  }
  throw invalidParameter('logImage accepts a PNG Blob, ImageData, an OffscreenCanvas or a canvas element.')
}

/** Splits 'dir/file.txt' into the directory and the file name. */
export function splitArtifactFile(artifactFile: string): { directory: string; fileName: string } {
  const slash = artifactFile.lastIndexOf('/')
  return { directory: slash < 0 ? '' : artifactFile.slice(0, slash), fileName: artifactFile.slice(slash + 1) }
}
