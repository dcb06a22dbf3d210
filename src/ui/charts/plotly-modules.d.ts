// Just enough typing for the plotly.js partial bundle modules we import (plotly ships no types).
declare module 'plotly.js/lib/core' {
  const Plotly: import('./plotly-types.ts').PlotlyApi
  export default Plotly
}
declare module 'plotly.js/lib/scatter' { const trace: unknown; export default trace }
declare module 'plotly.js/lib/bar' { const trace: unknown; export default trace }
declare module 'plotly.js/lib/heatmap' { const trace: unknown; export default trace }
