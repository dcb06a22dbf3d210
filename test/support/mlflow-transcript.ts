/** The REST transcript recorded from a real MLflow 2.17.2 server (../shared/fixtures), loaded for tests. */
import { readFileSync } from 'node:fs'

export interface TranscriptRecord {
  seq: number; note: string; method: string; path: string
  request_headers: Record<string, string>
  request_body?: unknown
  status: number
  response_headers: Record<string, string>
  response_body: unknown
}

const TRANSCRIPT = new URL('../../../shared/fixtures/mlflow-rest-transcript.jsonl', import.meta.url)

/** Every record, in the order the calls were made. */
export function loadTranscript(): TranscriptRecord[] {
  return readFileSync(TRANSCRIPT, 'utf8').split('\n').filter(line => line.trim()).map(line => JSON.parse(line) as TranscriptRecord)
}

/** The endpoint a record called ("runs/log-batch", "artifacts" for the proxy), or its path for others. */
export function recordEndpoint(record: TranscriptRecord): string {
  const path = record.path.split('?')[0]!
  if (path.startsWith('/api/2.0/mlflow-artifacts/')) return 'artifacts'
  return /^\/(?:ajax-)?api\/2\.0\/mlflow\/(.+)$/.exec(path)?.[1] ?? path
}
