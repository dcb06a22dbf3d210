/** The slice of plotly.js's API the app uses, typed loosely (plotly publishes no types of its own). */

export type PlotData = Record<string, unknown>
export type PlotLayout = Record<string, unknown>
export type PlotConfig = Record<string, unknown>

/** A plot's root element, as plotly extends it with event registration. */
export interface PlotlyElement extends HTMLDivElement {
  on(event: 'plotly_relayout', handler: (update: Record<string, unknown>) => void): void
  removeAllListeners?(event: string): void
}

export interface PlotlyApi {
  register(modules: unknown[]): void
  react(root: HTMLElement, data: PlotData[], layout?: PlotLayout, config?: PlotConfig): Promise<PlotlyElement>
  newPlot(root: HTMLElement, data: PlotData[], layout?: PlotLayout, config?: PlotConfig): Promise<PlotlyElement>
  purge(root: HTMLElement): void
  Plots: { resize(root: HTMLElement): void }
}
