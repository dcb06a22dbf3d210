/**
 * CORS answers for the MLflow test server, as MLflow 3.5+ sends them with --cors-allowed-origins: lets a
 * browser page on another origin (the e2e suite's app) call the server. Off unless a test asks for it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Sets Access-Control-* headers on `response` for a request from `allowedOrigin` ('*' allows any).
 * Returns true when the request was a preflight, which the caller answers with 204 and no body.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse, allowedOrigin: string): boolean {
  const origin = request.headers.origin
  if (!origin || (allowedOrigin !== '*' && origin !== allowedOrigin)) return false
  response.setHeader('Access-Control-Allow-Origin', origin)
  response.setHeader('Vary', 'Origin')
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
  if (preflight) {
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS')
    response.setHeader('Access-Control-Allow-Headers', String(request.headers['access-control-request-headers'] ?? 'Content-Type, Authorization'))
    response.setHeader('Access-Control-Max-Age', '600')
  }
  return preflight
}
