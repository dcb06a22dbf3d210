// The test server against the real one: every recorded request, replayed, gets the recorded answer
// (status, error_code and message, and the shape and values of JSON answers, ids and clocks aside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MlflowTestServer } from '../../support/mlflow-test-server.ts'
import { type TranscriptRecord, loadTranscript } from '../../support/mlflow-transcript.ts'

// The UI-only endpoints (bulk-interval history, /get-artifact) are not ones Lablog calls.
const NOT_SERVED = new Set([78, 110])
// Messages that quote SQLite's or the filter parser's own text: only the start is compared.
const MESSAGE_PREFIX_ONLY: Record<number, string> = { 7: 'Experiment(name=rest-transcript) already exists.', 24: '(sqlite3.IntegrityError) FOREIGN KEY constraint failed', 121: 'Experiment(name=rest-transcript-renamed) already exists.' }
const CODE_ONLY = new Set([93])
// Runs with equal start times come in run id order, and the test server's ids are random.
const RUN_ORDER_BY_ID = new Set([115])

const records = loadTranscript()
let server: MlflowTestServer
// Recorded run ids and server-picked run names → the ones the test server made, and back.
const renames = new Map<string, string>()

const toServer = (text: string) => [...renames].reduce((result, [recorded, actual]) => result.replaceAll(recorded, actual), text)
const toRecorded = (text: string) => [...renames].reduce((result, [recorded, actual]) => result.replaceAll(actual, recorded), text)

async function replay(record: TranscriptRecord): Promise<Response> {
  let body: BodyInit | undefined
  const raw = record.request_body
  if (typeof raw === 'string') body = raw
  else if (raw && typeof raw === 'object' && 'base64' in raw) body = Buffer.from(String((raw as { base64: string }).base64), 'base64')
  else if (raw !== undefined && raw !== null) body = toServer(JSON.stringify(raw))
  return fetch(server.url + toServer(record.path), { method: record.method, headers: record.request_headers, body })
}

/** JSON with the values that differ between servers by nature (clock times) blanked, ids mapped back. */
function comparable(json: unknown): unknown {
  return JSON.parse(toRecorded(JSON.stringify(json)), (key, value: unknown) => (key === 'creation_time' || key === 'last_update_time' ? 0 : value))
}

beforeAll(async () => { server = await MlflowTestServer.start() })
afterAll(async () => { await server.close() })

describe('the test server answers every recorded request as MLflow 2.17.2 did', () => {
  for (const record of records) {
    if (NOT_SERVED.has(record.seq)) continue
    it(`#${record.seq} ${record.method} ${record.path.slice(0, 70)} — ${record.note}`, async () => {
      const response = await replay(record)
      const text = await response.text()
      expect(response.status).toBe(record.status)
      const recorded = record.response_body
      const contentType = response.headers.get('content-type') ?? ''
      if (record.response_headers['Content-Type']?.startsWith('text/html')) {
        expect(contentType).toMatch(/^text\/html/)
        return
      }
      if (recorded && typeof recorded === 'object' && 'base64' in recorded) {
        expect(Buffer.from(text, 'latin1').length).toBeGreaterThan(0)
        return
      }
      if (typeof recorded === 'string') return void expect(text).toBe(recorded)
      expect(contentType).toBe('application/json')
      const json = JSON.parse(text) as Record<string, unknown>
      if (record.seq === 23) renames.set((recorded as { run: { info: { run_name: string } } }).run.info.run_name, (json.run as { info: { run_name: string } }).info.run_name)
      if (json.run && typeof json.run === 'object' && [22, 23, 26].includes(record.seq)) {
        renames.set((recorded as { run: { info: { run_id: string } } }).run.info.run_id, (json.run as { info: { run_id: string } }).info.run_id)
      }
      if (typeof (recorded as { error_code?: unknown }).error_code === 'string') {
        const expected = recorded as { error_code: string; message: string }
        expect(json.error_code).toBe(expected.error_code)
        const message = toRecorded(String(json.message))
        if (CODE_ONLY.has(record.seq)) return
        const prefix = MESSAGE_PREFIX_ONLY[record.seq]
        if (prefix) expect(message.startsWith(prefix)).toBe(true)
        else expect(message).toBe(expected.message)
        return
      }
      const byRunId = (body: unknown) => {
        const runs = (body as { runs?: { info: { run_id: string } }[] }).runs
        return RUN_ORDER_BY_ID.has(record.seq) && runs ? { ...body as object, runs: [...runs].sort((a, b) => a.info.run_id.localeCompare(b.info.run_id)) } : body
      }
      expect(byRunId(comparable(json))).toEqual(byRunId(comparable(recorded)))
    })
  }
})
