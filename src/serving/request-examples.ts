/**
 * Ready-to-show examples of a serving request, for the model page's "try it" panel: the endpoint
 * path, a curl command and a fetch() call. Plain strings, meant to be shown as text (never as HTML).
 */

/** `/serve/<name>/<version | @alias>/invocations` (path segments URL-encoded), under `base` (default '/serve/'). */
export function servingPath(name: string, versionOrAlias: string, base = '/serve/'): string {
  const reference = versionOrAlias.startsWith('@') ? `@${encodeURIComponent(versionOrAlias.slice(1))}` : encodeURIComponent(versionOrAlias)
  return `${base}${encodeURIComponent(name)}/${reference}/invocations`
}

/** A shell single-quoted string: safe for any text, including quotes and newlines. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/** Examples of one request: the URL, a curl command and a fetch() snippet. */
export interface ServingRequestExamples { url: string; curl: string; fetch: string }

/**
 * Examples that send `body` to `url`. The curl form is MLflow's usual example and works as it is
 * against `mlflow models serve`; against Lablog it runs in the browser only (a service worker answers
 * the page's own requests, not a terminal's), so the fetch form is the one to paste in the console.
 */
export function servingRequestExamples(url: string, body: unknown): ServingRequestExamples {
  const json = JSON.stringify(body)
  return {
    url,
    curl: `curl -X POST ${shellQuote(url)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${shellQuote(json)}`,
    fetch: `await (await fetch(${JSON.stringify(url)}, {\n  method: 'POST',\n  headers: { 'Content-Type': 'application/json' },\n  body: JSON.stringify(${json}),\n})).json()`,
  }
}
