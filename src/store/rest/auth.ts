/**
 * Credentials for an MLflow tracking server: basic (the `basic-auth` app) or a bearer
 * token (Databricks and hosted servers), from options, the URI's userinfo or, in Node, MLflow's env variables.
 */

/** How requests to a tracking server authenticate. */
export type RestAuth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }

/**
 * Reads MLflow's own variables, as the Python client does: MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD give basic auth, else MLFLOW_TRACKING_TOKEN gives a bearer token.
 * Returns undefined in a browser (no process.env) or when none is set.
 */
export function authFromEnvironment(env: Record<string, string | undefined> | undefined = processEnv()): RestAuth | undefined {
  if (!env) return undefined
  const username = env.MLFLOW_TRACKING_USERNAME, password = env.MLFLOW_TRACKING_PASSWORD
  if (username && password !== undefined) return { type: 'basic', username, password }
  const token = env.MLFLOW_TRACKING_TOKEN
  if (token) return { type: 'bearer', token }
  return undefined
}

/** Basic auth from `http://user:pass@host` (percent-decoded), or undefined when the URI has none. */
export function authFromUserinfo(url: URL): RestAuth | undefined {
  if (!url.username) return undefined
  return { type: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
}

/** The Authorization header value for `auth`. */
export function authorizationHeader(auth: RestAuth): string {
  if (auth.type === 'bearer') return `Bearer ${auth.token}`
  return `Basic ${base64Utf8(`${auth.username}:${auth.password}`)}`
}

// RFC 7617 allows UTF-8 credentials; btoa alone takes only Latin-1.
function base64Utf8(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

// Read through globalThis so this module also bundles for the browser, where there is no process.
function processEnv(): Record<string, string | undefined> | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
}
