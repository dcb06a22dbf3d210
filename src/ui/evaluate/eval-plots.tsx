/** The evaluation's figures, drawn live from the plotly JSON artifacts mlflow.evaluate logged (figure data, never markup). */
import type { PlotData } from '../charts/plotly-types.ts'
import { usePlot } from '../charts/use-plot.ts'

export interface Figure { name: string; data: PlotData[]; layout: Record<string, unknown> }

/** MLflow's figure names, as titles. */
const TITLES: Record<string, string> = {
  roc_curve_plot: 'ROC curve', precision_recall_curve_plot: 'Precision–recall curve', lift_curve_plot: 'Lift curve',
  calibration_curve_plot: 'Calibration curve', confusion_matrix: 'Confusion matrix', residuals_plot: 'Residuals',
}

function FigurePlot({ figure }: { figure: Figure }) {
  const root = usePlot(base => {
    const own = figure.layout
    // The figure's axes and legends, in the app's theme; its title is the card's heading instead.
    const layout = {
      ...own, ...base, title: undefined, showlegend: own.showlegend ?? true, legend: { orientation: 'h', y: -0.25, font: { size: 11 } },
      margin: { l: 56, r: 12, t: 8, b: 64 },
      xaxis: { ...(own.xaxis as object), ...(base.xaxis as object) }, yaxis: { ...(own.yaxis as object), ...(base.yaxis as object) },
    }
    return { data: figure.data, layout }
  }, [figure])
  return <div ref={root} class="eval-plot-area" data-figure={figure.name} role="img" aria-label={TITLES[figure.name] ?? figure.name} />
}

export function EvalPlots({ figures }: { figures: Figure[] }) {
  if (figures.length === 0) return null
  return (
    <div class="eval-plots">
      {figures.map(figure => (
        <figure key={figure.name} class="eval-plot">
          <h3>{TITLES[figure.name] ?? figure.name}</h3>
          <FigurePlot figure={figure} />
        </figure>
      ))}
    </div>
  )
}
