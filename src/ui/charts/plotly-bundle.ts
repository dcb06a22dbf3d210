/** The plotly.js partial bundle: core plus the traces the app draws. Only ever imported lazily. */
import Plotly from 'plotly.js/lib/core'
import bar from 'plotly.js/lib/bar'
import heatmap from 'plotly.js/lib/heatmap'
import scatter from 'plotly.js/lib/scatter'

// No scattergl or parcoords: both compile shaders through regl, which needs 'unsafe-eval' under our CSP.
Plotly.register([scatter, bar, heatmap])

export default Plotly
