/**
 * A small stateful MLflow tracking server for Node tests, on 127.0.0.1 only. It answers like
 * MLflow 2.17.2 (see mlflow-test-state.ts), refuses every request the real server would refuse
 * (and unknown fields), logs what it got, and injects faults: dropped connections, 5xx, 429, delays, restarts.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { Socket } from 'node:net'
import { ENDPOINT_FIELDS, RequestRejected, checkObject, queryToObject } from './mlflow-request-rules.ts'
import { MlflowServerState, type ServerFeatures } from './mlflow-test-state.ts'
import { MlflowRegistryState } from './mlflow-registry-state.ts'
import { REGISTRY_ENDPOINT_FIELDS } from './mlflow-registry-rules.ts'
import { applyCors } from './cors-headers.ts'

/** A request as the server saw it. `violation` is set when it broke the real server's rules (or an unknown field). */
export interface LoggedRequest {
  method: string; path: string; endpoint: string; query: URLSearchParams; headers: IncomingMessage['headers']
  json?: Record<string, unknown>; bodyBytes: number; status?: number; violation?: string
}

export type Fault =
  /** Close the connection without an answer: 'before' the request is applied, or 'after' it was (the client cannot tell). */
  | { kind: 'drop'; when: 'before' | 'after' }
  /** Answer this status without applying the request: JSON error (429 with Retry-After), or an HTML page as a proxy sends. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; html?: boolean }
  /** Wait, then answer normally. */
  | { kind: 'delay'; ms: number }
  /** Go down (all connections closed) for `downMs`, then listen again on the same port with the same data. */
  | { kind: 'restart'; when: 'before' | 'after'; downMs: number }

export interface FaultOptions {
  /** Which requests; default every one. */
  match?: (request: LoggedRequest) => boolean
  /** How many matching requests get the fault; default 1. */
  times?: number
}

export interface TestServerOptions {
  features?: ServerFeatures
  /** Require this Authorization (the basic-auth app, or a token proxy); otherwise 401. */
  auth?: { username: string; password: string } | { token: string }
  /** Answer CORS for this origin ('*': any), as MLflow 3.5+ with --cors-allowed-origins; default none (MLflow 2.x). */
  corsOrigin?: string
}

interface ArmedFault { fault: Fault; match: (request: LoggedRequest) => boolean; remaining: number }

export class MlflowTestServer {
  readonly state: MlflowServerState
  /** The model registry endpoints (registered-models/…, model-versions/…). */
  readonly registry = new MlflowRegistryState()
  readonly requests: LoggedRequest[] = []
  private server: Server | undefined
  private sockets = new Set<Socket>()
  private faults: ArmedFault[] = []
  private port = 0

  private constructor(private readonly options: TestServerOptions) {
    this.state = new MlflowServerState(options.features)
  }

  /** Starts a server on 127.0.0.1 at a free port. */
  static async start(options: TestServerOptions = {}): Promise<MlflowTestServer> {
    const server = new MlflowTestServer(options)
    await server.listen()
    return server
  }

  /** The tracking URI to give Lablog. */
  get url(): string { return `http://127.0.0.1:${this.port}` }

  /** Requests that broke the real server's rules: a test of the client expects none. */
  violations(): string[] {
    return this.requests.filter(request => request.violation).map(request => `${request.method} ${request.path}: ${request.violation}`)
  }

  /** Requests to one endpoint ("runs/log-batch", or "artifacts" for the proxy). */
  requestsTo(endpoint: string, method?: string): LoggedRequest[] {
    return this.requests.filter(request => request.endpoint === endpoint && (!method || request.method === method))
  }

  /** Injected faults not yet used up: a fault test checks its faults really happened. */
  pendingFaults(): Fault[] {
    return this.faults.filter(armed => armed.remaining > 0).map(armed => armed.fault)
  }

  inject(fault: Fault, options: FaultOptions = {}): void {
    this.faults.push({ fault, match: options.match ?? (() => true), remaining: options.times ?? 1 })
  }

  /** Goes down for `downMs` (clients see refused connections), then comes back with the same data. */
  async restart(downMs = 0): Promise<void> {
    await this.close()
    await new Promise(resolve => setTimeout(resolve, downMs))
    await this.listen()
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
    if (server) await new Promise<void>(resolve => server.close(() => resolve()))
  }

  private async listen(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response))
    server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    this.port = (server.address() as { port: number }).port
    this.server = server
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request)
    if (this.options.corsOrigin && applyCors(request, response, this.options.corsOrigin)) return void response.writeHead(204).end()
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const method = request.method ?? 'GET'
    const logged: LoggedRequest = { method, path: url.pathname + url.search, endpoint: endpointOf(url.pathname), query: url.searchParams, headers: request.headers, bodyBytes: body.length }
    this.requests.push(logged)
    const fault = this.takeFault(logged)
    if (fault?.kind === 'delay') await new Promise(resolve => setTimeout(resolve, fault.ms))
    if (fault?.kind === 'drop' && fault.when === 'before') return void request.socket.destroy()
    if (fault?.kind === 'restart' && fault.when === 'before') return void this.restart(fault.downMs)
    if (fault?.kind === 'status') {
      logged.status = fault.status
      if (fault.html) return send(response, fault.status, 'text/html; charset=utf-8', `<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`)
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {}
      const code = fault.status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : fault.status === 503 ? 'TEMPORARILY_UNAVAILABLE' : 'INTERNAL_ERROR'
      return sendJson(response, fault.status, { error_code: code, message: `[test server] injected ${fault.status}` }, headers)
    }
    const answer = this.answer(method, url, request, body, logged)
    logged.status = answer.status
    if (fault?.kind === 'drop') return void request.socket.destroy()
    if (fault?.kind === 'restart') return void this.restart(fault.downMs)
    if (answer.json !== undefined) return sendJson(response, answer.status, answer.json, answer.headers)
    send(response, answer.status, answer.contentType ?? 'text/plain', answer.body ?? '', answer.headers)
  }

  private takeFault(request: LoggedRequest): Fault | undefined {
    const armed = this.faults.find(candidate => candidate.remaining > 0 && candidate.match(request))
    if (!armed) return undefined
    armed.remaining--
    return armed.fault
  }

  private answer(method: string, url: URL, request: IncomingMessage, body: Buffer, logged: LoggedRequest): Answer {
    const path = url.pathname
    if (method === 'OPTIONS') return { status: 200, body: '', contentType: 'text/html; charset=utf-8', headers: { Allow: 'GET, POST, PUT, DELETE, OPTIONS' } }
    if (path === '/health') return { status: 200, body: 'OK', contentType: 'text/html; charset=utf-8' }
    if (path === '/version') return { status: 200, body: '2.17.2', contentType: 'text/html; charset=utf-8' }
    const denied = this.checkAuth(request)
    if (denied) return denied
    try {
      if (path.startsWith('/api/2.0/mlflow-artifacts/mpu/')) {
        throw new RequestRejected(501, 'NOT_IMPLEMENTED', 'Multipart upload is not supported for the current artifact repository')
      }
      if (path === '/api/2.0/mlflow-artifacts/artifacts' && method === 'GET') {
        const dir = url.searchParams.get('path') ?? ''
        const files = this.state.listArtifactDir(dir)
        return { status: 200, json: files.length ? { files } : {} }
      }
      if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
        if (!['GET', 'PUT', 'DELETE'].includes(method)) return htmlError(405)
        const artifact = this.state.artifactRequest(method, decodeURIComponent(path.slice('/api/2.0/mlflow-artifacts/artifacts/'.length)), body)
        return artifact.json ? { status: artifact.status, json: artifact.json } : { status: 200, body: artifact.body!, contentType: guessType(path) }
      }
      const match = /^\/(?:ajax-)?api\/2\.0\/mlflow\/(.+)$/.exec(path)
      const name = match?.[1] ?? ''
      const rules = ENDPOINT_FIELDS[`${method} ${name}`] ?? REGISTRY_ENDPOINT_FIELDS[`${method} ${name}`]
      const handler = this.state.handlers[`${method} ${name}`] ?? this.registry.handlers[`${method} ${name}`]
      if (!rules || !handler || (name === 'experiments/delete-experiment-tag' && !this.state.features.deleteExperimentTag)) {
        const otherMethod = ['GET', 'POST', 'PATCH', 'DELETE'].some(other => ENDPOINT_FIELDS[`${other} ${name}`] ?? REGISTRY_ENDPOINT_FIELDS[`${other} ${name}`])
        logged.violation = otherMethod ? `wrong method ${method}` : 'no such endpoint'
        return htmlError(otherMethod ? 405 : 404)
      }
      let input: Record<string, unknown>
      if (method !== 'GET') {
        // MLflow checks Content-Type on POST (and PUT) only; PATCH and DELETE bodies are read as JSON all the same.
        const contentType = String(request.headers['content-type'] ?? '').split(';')[0]!.trim()
        if (method === 'POST' && contentType !== 'application/json') throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', "Bad Request. Content-Type must be one of ['application/json'].")
        input = parseJsonObject(body)
        logged.json = input
      } else {
        input = queryToObject(url.searchParams, rules)
      }
      checkObject('', input, rules)
      return { status: 200, json: handler(input, body.length) }
    } catch (error) {
      if (!(error instanceof RequestRejected)) throw error
      if (isShapeError(error)) logged.violation = error.message
      return { status: error.status, json: { error_code: error.errorCode, message: error.message } }
    }
  }

  private checkAuth(request: IncomingMessage): Answer | undefined {
    const auth = this.options.auth
    if (!auth) return undefined
    const expected = 'token' in auth ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    if (request.headers.authorization === expected) return undefined
    return {
      status: 401, headers: { 'WWW-Authenticate': 'Basic realm="mlflow"' },
      body: 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.',
    }
  }
}

interface Answer { status: number; json?: unknown; body?: string | Buffer; contentType?: string; headers?: Record<string, string> }

/** Request-shape errors (what a correct client never causes), as opposed to answers about the data. */
function isShapeError(error: RequestRejected): boolean {
  return error.strictOnly || /^Missing value for required parameter|^Invalid value .* Hint: Value was of type|^Bad Request\. Content-Type/.test(error.message)
}

function endpointOf(path: string): string {
  if (path.startsWith('/api/2.0/mlflow-artifacts/')) return 'artifacts'
  return /^\/(?:ajax-)?api\/2\.0\/mlflow\/(.+)$/.exec(path)?.[1] ?? path
}

/** Malformed JSON reads as an empty request, so the server reports the first missing field (as 2.17.2 does). */
function parseJsonObject(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

function htmlError(status: 404 | 405): Answer {
  const title = status === 404 ? '404 Not Found' : '405 Method Not Allowed'
  const text = status === 404 ? 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.' : 'The method is not allowed for the requested URL.'
  return { status, contentType: 'text/html; charset=utf-8', body: `<!doctype html>\n<html lang=en>\n<title>${title}</title>\n<h1>${title.slice(4)}</h1>\n<p>${text}</p>\n` }
}

const TYPES: Record<string, string> = { txt: 'text/plain', json: 'application/json', png: 'image/png', csv: 'text/csv', yaml: 'application/x-yaml', html: 'text/html' }
function guessType(path: string): string { return TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream' }

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', chunk => chunks.push(chunk as Buffer))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

// gunicorn closes every connection after the answer (Connection: close), as the transcript shows.
function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': contentType, Connection: 'close', ...headers })
  response.end(body)
}

function sendJson(response: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  send(response, status, 'application/json', JSON.stringify(json), headers)
}
