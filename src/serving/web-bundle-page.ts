/**
 * The fixed files of an exported web bundle: a page with no inline script or style (CSP-friendly)
 * and a dependency-free predict.js. Model data never goes in here; the page reads it from bundle.json.
 */

/** index.html: a JSON input prefilled with the model's example, a Predict button, the answer as text. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'">
<title>Model prediction</title>
<link rel="stylesheet" href="style.css">
<script src="tf.es2017.min.js" defer></script>
<script src="predict.js" defer></script>
</head>
<body>
<main>
  <h1 id="title">Model prediction</h1>
  <p id="summary"></p>
  <form id="form">
    <label for="input">Input (JSON)</label>
    <textarea id="input" rows="10" spellcheck="false"></textarea>
    <p class="hint" id="hint"></p>
    <button type="submit" id="predict" disabled>Predict</button>
  </form>
  <p id="status" role="status">Loading the model…</p>
  <pre id="output" aria-live="polite"></pre>
</main>
</body>
</html>
`

/** style.css: a readable single column; a file, because the page's CSP allows no inline style. */
export const STYLE_CSS = `body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f7f8fa; color: #1f2937; }
main { max-width: 760px; margin: 0 auto; padding: 24px 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
#summary, .hint { color: #4b5563; font-size: 13px; }
label { display: block; font-weight: 600; margin: 16px 0 6px; }
textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; padding: 8px; }
button { margin-top: 8px; padding: 6px 16px; font-size: 14px; }
#status.error { color: #b91c1c; }
pre { background: #fff; border: 1px solid #d1d5db; padding: 12px; overflow: auto; min-height: 2em; }
`

/**
 * predict.js: loads bundle.json and the model with the global \`tf\` (tf.es2017.min.js), turns the JSON
 * typed in (a nested array, row records, a split frame, named tensors, or an MLflow scoring body)
 * into tensors by the signature, and shows the predictions. Also callable: \`lablogBundle.predict(input)\`.
 */
export const PREDICT_JS = `/* Lablog web bundle: predicts with the model in ./model using TensorFlow.js (./tf.es2017.min.js). No other dependency. */
'use strict';
(function () {
  var BACKENDS = ['cpu', 'webgl'];
  var SCORING_KEYS = ['inputs', 'instances', 'dataframe_split', 'dataframe_records'];
  function byId(id) { return document.getElementById(id); }
  function isObject(value) { return typeof value === 'object' && value !== null && !Array.isArray(value); }
  function tfDtype(numpyDtype) {
    if (numpyDtype === 'bool') return 'bool';
    if (/^u?int/.test(numpyDtype)) return 'int32';
    return 'float32';
  }

  // An MLflow scoring body ({"inputs": ...} and the like) is accepted too: unwrap it to its data.
  function unwrap(value) {
    if (!isObject(value)) return value;
    var keys = SCORING_KEYS.filter(function (key) { return key in value; });
    return keys.length === 1 ? value[keys[0]] : value;
  }

  // Rows in the signature's column order, from records, a split frame or columns.
  function columnMatrix(value, names) {
    if (isObject(value) && Array.isArray(value.data)) {
      if (!Array.isArray(value.columns)) return value.data;
      var positions = names.map(function (name) {
        var at = value.columns.indexOf(name);
        if (at < 0) throw new Error('Missing column "' + name + '".');
        return at;
      });
      return value.data.map(function (row) { return positions.map(function (at) { return row[at]; }); });
    }
    var rows = Array.isArray(value) ? value : null;
    if (isObject(value)) {
      var length = (value[names[0]] || []).length;
      rows = [];
      for (var i = 0; i < length; i++) rows.push(names.reduce(function (row, name) { row[name] = (value[name] || [])[i]; return row; }, {}));
    }
    if (!rows) throw new Error('Expected rows, a {"columns", "data"} frame or columns.');
    return rows.map(function (row, index) {
      if (Array.isArray(row)) return row;
      return names.map(function (name) {
        if (!(name in row)) throw new Error('Row ' + index + ' is missing column "' + name + '".');
        return row[name] === null ? NaN : row[name];
      });
    });
  }

  function toFeed(model, signature, input) {
    var specs = (signature && signature.inputs) || [];
    var value = unwrap(input);
    if (specs.length > 0 && specs[0].type !== 'tensor') {
      var names = specs.map(function (spec, index) { return spec.name || String(index); });
      var matrix = columnMatrix(value, names);
      return tf.tensor2d(matrix, [matrix.length, names.length], 'float32');
    }
    if (specs.length > 1 || (isObject(value) && model.inputs.length > 1)) {
      return model.inputs.map(function (symbolic, index) {
        var spec = specs[index] || {};
        var name = spec.name || symbolic.name;
        if (!isObject(value) || !(name in value)) throw new Error('Missing input "' + name + '".');
        return tf.tensor(value[name], undefined, tfDtype((spec['tensor-spec'] || {}).dtype));
      });
    }
    if (isObject(value) && Array.isArray(value.data)) value = value.data;
    if (Array.isArray(value) && value.length > 0 && isObject(value[0])) value = columnMatrix(value, Object.keys(value[0]));
    var dtype = specs[0] ? tfDtype(specs[0]['tensor-spec'].dtype) : 'float32';
    return tf.tensor(value, undefined, dtype);
  }

  var ready = (async function () {
    var config = await (await fetch('bundle.json')).json();
    var requested = new URLSearchParams(location.search).get('backend');
    // cpu by default: its results equal the tracked model's cpu predictions exactly, and small models gain nothing from a GPU.
    await tf.setBackend(BACKENDS.indexOf(requested) >= 0 ? requested : 'cpu');
    var model = await tf.loadLayersModel('model/model.json');
    return { config: config, model: model };
  })();

  async function predict(input) {
    var loaded = await ready;
    var feed = toFeed(loaded.model, loaded.config.signature, input);
    var output = loaded.model.predict(feed);
    tf.dispose(feed);
    var outputs = Array.isArray(output) ? output : [output];
    var values = outputs.map(function (tensor) { return tensor.arraySync(); });
    tf.dispose(outputs);
    if (values.length === 1) return values[0];
    return loaded.model.outputNames.reduce(function (named, name, index) { named[name] = values[index]; return named; }, {});
  }

  window.lablogBundle = { ready: ready, predict: predict };

  function show(text, isError) {
    var status = byId('status');
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  ready.then(function (loaded) {
    var config = loaded.config;
    var title = config.name ? config.name + (config.version ? ' v' + config.version : '') : 'Model prediction';
    document.title = title;
    byId('title').textContent = title;
    byId('summary').textContent = config.modelUri + ' · TensorFlow.js ' + tf.version.tfjs + ' (' + tf.getBackend() + ')';
    byId('hint').textContent = 'Accepted: a nested array, row records, {"columns", "data"}, named tensors, or an MLflow scoring body. Inputs: ' + JSON.stringify((config.signature || {}).inputs || []);
    if (config.inputExample !== null && config.inputExample !== undefined) byId('input').value = JSON.stringify(config.inputExample, null, 2);
    byId('predict').disabled = false;
    show('Ready.', false);
  }, function (error) { show('The model could not be loaded: ' + error.message, true); });

  byId('form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input;
    try { input = JSON.parse(byId('input').value); } catch (error) { show('The input is not valid JSON: ' + error.message, true); return; }
    show('Predicting…', false);
    predict(input).then(function (predictions) {
      byId('output').textContent = JSON.stringify({ predictions: predictions }, null, 2);
      show('Done.', false);
    }, function (error) { show('Prediction failed: ' + error.message, true); });
  });
})();
`

/** README.txt: how to run the bundle, in plain words. */
export function readmeText(details: { modelUri: string; tfjsVersion: string; exportedAt: string }): string {
  return `Lablog web bundle
=================

Model: ${details.modelUri}
Exported: ${details.exportedAt}
Logged with TensorFlow.js: ${details.tfjsVersion} (the included tf.es2017.min.js runs it)

This folder predicts with the model in your browser. It needs no network and no server-side code.

Run it
------
Serve this folder with any static file server and open it, for example:

    python3 -m http.server 8000        then open http://localhost:8000/
    npx serve .                        (Node.js)

or upload the folder to any static host (GitHub Pages, S3, a web server). Once the page has loaded,
it keeps working offline for as long as it stays open. Opening index.html straight from disk (file://)
does not work: browsers refuse to let such a page read the model files.

Use it
------
Type or paste the input as JSON (the model's input example is filled in), then press Predict.
Accepted: a nested array (one tensor), row records [{"column": value}], a split frame
{"columns": [...], "data": [[...]]}, named tensors {"name": [[...]]}, or an MLflow scoring body
such as {"inputs": ...}. From a script on the page: await lablogBundle.predict(input).

Add ?backend=webgl to the address to predict on the GPU (cpu is the default: its results equal the
tracked model's exactly).

Files
-----
index.html, style.css, predict.js   the page
tf.es2017.min.js                    TensorFlow.js, prebuilt for browsers
bundle.json                         the model's URI, signature and input example
model/                              the MLflow model directory: MLmodel, model.json, weights, examples
`
}
