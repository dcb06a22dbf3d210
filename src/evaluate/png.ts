/**
 * Renders evaluate figures to PNG so `mlflow ui` shows them as MLflow's own plots. Where OffscreenCanvas
 * exists (browser, worker) a canvas draws them with text; in Node the pure rasterizer draws the same
 * picture with numbers but no words (its font has digits only) — chosen over skipping PNGs, so every
 * environment logs the same artifact files.
 */
import { drawFigure, type Painter, type Rgba, type TextStyle } from './figure-painter.ts'
import { RasterPainter } from './raster-painter.ts'
import type { PlotlyFigure } from './types.ts'

/** Pixel size of the PNGs: matplotlib's default figure (6.4 × 4.8 in at 100 dpi), as MLflow's plots. */
export const PNG_WIDTH = 640
export const PNG_HEIGHT = 480

/** Which backend drew a PNG: `canvas` has all text; `raster` has numbers only. */
export type PngRenderer = 'canvas' | 'raster'

const css = (c: Rgba) => `rgba(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])},${c[3]})`

type Context2D = OffscreenCanvasRenderingContext2D

class CanvasPainter implements Painter {
  readonly drawsWords = true

  constructor(private readonly ctx: Context2D) {}

  fillRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    this.ctx.fillStyle = css(color)
    this.ctx.fillRect(x, y, w, h)
  }

  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgba, width: number, dash?: readonly number[]): void {
    const ctx = this.ctx
    ctx.beginPath()
    ctx.setLineDash(dash ? [...dash] : [])
    ctx.strokeStyle = css(color)
    ctx.lineWidth = width
    ctx.lineJoin = 'round'
    for (let i = 0; i < xs.length; i++) i === 0 ? ctx.moveTo(xs[i]!, ys[i]!) : ctx.lineTo(xs[i]!, ys[i]!)
    ctx.stroke()
    ctx.setLineDash([])
  }

  marker(x: number, y: number, size: number, color: Rgba, shape: 'square' | 'circle'): void {
    const ctx = this.ctx
    ctx.fillStyle = css(color)
    if (shape === 'square') { ctx.fillRect(x - size / 2, y - size / 2, size, size); return }
    ctx.beginPath()
    ctx.arc(x, y, size / 2, 0, 2 * Math.PI)
    ctx.fill()
  }

  measure(text: string, size: number): number {
    this.ctx.font = `${size}px sans-serif`
    return this.ctx.measureText(text).width
  }

  text(text: string, x: number, y: number, style: TextStyle): boolean {
    const ctx = this.ctx
    ctx.save()
    ctx.font = `${style.bold ? 'bold ' : ''}${style.size}px sans-serif`
    ctx.fillStyle = css(style.color)
    ctx.textAlign = style.align
    ctx.textBaseline = style.baseline === 'middle' ? 'middle' : style.baseline
    ctx.translate(x, y)
    if (style.vertical) ctx.rotate(-Math.PI / 2)
    ctx.fillText(text, 0, 0)
    ctx.restore()
    return true
  }
}

/** The backend `renderFigurePng` uses here: `canvas` where OffscreenCanvas exists, else `raster`. */
export function pngRenderer(): PngRenderer {
  return typeof OffscreenCanvas !== 'undefined' ? 'canvas' : 'raster'
}

/**
 * One figure as a PNG Blob (`image/png`), drawn at `width × height` pixels by the given renderer
 * (default: the best this environment has).
 */
export async function renderFigurePng(
  figure: PlotlyFigure, options: { width?: number; height?: number; renderer?: PngRenderer } = {},
): Promise<Blob> {
  const width = options.width ?? PNG_WIDTH, height = options.height ?? PNG_HEIGHT
  if ((options.renderer ?? pngRenderer()) === 'canvas') {
    const canvas = new OffscreenCanvas(width, height)
    drawFigure(figure, new CanvasPainter(canvas.getContext('2d')!), width, height)
    return canvas.convertToBlob({ type: 'image/png' })
  }
  const raster = new RasterPainter(width, height)
  drawFigure(figure, raster, width, height)
  return new Blob([raster.toPng() as Uint8Array<ArrayBuffer>], { type: 'image/png' })
}
