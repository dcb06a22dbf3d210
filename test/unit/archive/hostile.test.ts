// Hostile and broken archives: each is refused with INVALID_PARAMETER_VALUE naming the entry and
// the reason, and the store is left exactly as it was.
import { beforeAll, expect, test } from 'vitest'
import { importArchive, type ZipLimits } from '../../../src/archive/index.ts'
import type { LocalTrackingStore } from '../../../src/store/local/local-store.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { type RawEntry, freshStore, rawZip, rowCounts, zipFiles } from './helpers.ts'

const RUN = '0123456789abcdef0123456789abcdef'
const runMeta = `artifact_uri: mlruns/1/${RUN}/artifacts\nend_time: 2\nentry_point_name: ''\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${RUN}\nrun_name: r\nrun_uuid: ${RUN}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1\nstatus: 3\ntags: []\nuser_id: u\n`

/** A small, valid mlruns tree; each case changes one thing. */
function validFiles(): Record<string, string> {
  return {
    'mlruns/0/meta.yaml': "artifact_location: mlruns/0\ncreation_time: 1\nexperiment_id: '0'\nlast_update_time: 1\nlifecycle_stage: active\nname: Default\n",
    'mlruns/1/meta.yaml': "artifact_location: mlruns/1\ncreation_time: 1\nexperiment_id: '1'\nlast_update_time: 1\nlifecycle_stage: active\nname: hostile\n",
    [`mlruns/1/${RUN}/meta.yaml`]: runMeta,
    [`mlruns/1/${RUN}/params/lr`]: '0.1',
    [`mlruns/1/${RUN}/metrics/loss`]: '1 0.5 0\n2 0.25 1\n',
    [`mlruns/1/${RUN}/tags/mlflow.runName`]: 'r',
    [`mlruns/1/${RUN}/artifacts/a.txt`]: 'hello',
  }
}
const modelVersionMeta = `aliases: []\ncreation_timestamp: 5\ncurrent_stage: None\ndescription: null\nlast_updated_timestamp: 5\nname: m\nrun_id: ${RUN}\nrun_link: null\nsource: mlruns/1/${RUN}/artifacts/model\nstatus: READY\nstatus_message: null\nstorage_location: mlruns/1/${RUN}/artifacts/model\nuser_id: null\nversion: 1\n`
/** A valid registered model 'm' with version 1 from RUN; the registry cases break one file of it. */
function modelFiles(): Record<string, string> {
  return {
    'mlruns/models/m/meta.yaml': 'aliases: {}\ncreation_timestamp: 5\ndescription: null\nlast_updated_timestamp: 5\nname: m\n',
    'mlruns/models/m/version-1/meta.yaml': modelVersionMeta,
  }
}
const asRaw = (files: Record<string, string>): RawEntry[] => Object.entries(files).map(([name, data]) => ({ name, data }))
const raw = (entries: RawEntry[]) => new Blob([rawZip(entries) as Uint8Array<ArrayBuffer>])

let store: LocalTrackingStore
let uri: string
beforeAll(async () => {
  ({ uri, store } = freshStore())
  await new MlflowClient(uri).createExperiment('already here')
  // The valid tree imports, so every refusal below is caused by its one change.
  const probe = freshStore()
  expect((await importArchive(zipFiles(validFiles()), { trackingUri: probe.uri })).runsImported).toEqual([RUN])
  const withModel = freshStore()
  expect((await importArchive(zipFiles({ ...validFiles(), ...modelFiles() }), { trackingUri: withModel.uri })).modelVersionsImported).toEqual(['m/1'])
})

const cases: Array<{ name: string; zip: () => Blob; entry: string; reason: RegExp; limits?: Partial<ZipLimits> }> = [
  { name: "an entry with '..'", zip: () => raw([...asRaw(validFiles()), { name: 'mlruns/../../evil.sh', data: 'x' }]), entry: 'mlruns/../../evil.sh', reason: /escape/ },
  { name: 'an absolute path', zip: () => raw([...asRaw(validFiles()), { name: '/etc/passwd', data: 'x' }]), entry: '/etc/passwd', reason: /absolute/ },
  { name: 'a backslash', zip: () => raw([...asRaw(validFiles()), { name: 'mlruns\\1\\x', data: 'x' }]), entry: 'mlruns\\1\\x', reason: /backslash/ },
  { name: 'a NUL in a name', zip: () => raw([...asRaw(validFiles()), { name: 'mlruns/1/a\0b', data: 'x' }]), entry: 'mlruns/1/a?b', reason: /NUL/ },
  { name: 'a symlink', zip: () => raw([...asRaw(validFiles()), { name: `mlruns/1/${RUN}/artifacts/link`, data: '/etc/passwd', unixMode: 0o120777 }]), entry: `mlruns/1/${RUN}/artifacts/link`, reason: /symbolic link/ },
  { name: 'a duplicate entry', zip: () => raw([...asRaw(validFiles()), { name: `mlruns/1/${RUN}/params/lr`, data: '0.2' }]), entry: `mlruns/1/${RUN}/params/lr`, reason: /twice/ },
  { name: 'a truncated zip', zip: () => { const bytes = rawZip(asRaw(validFiles())); return new Blob([bytes.slice(0, bytes.length - 40) as Uint8Array<ArrayBuffer>]) }, entry: '', reason: /truncated/ },
  {
    name: 'a compression ratio over the limit', limits: { maxCompressionRatio: 100 },
    zip: () => raw([...asRaw(validFiles()), { name: `mlruns/1/${RUN}/artifacts/zeros.bin`, data: new Uint8Array(4 << 20), method: 8 }]),
    entry: `mlruns/1/${RUN}/artifacts/zeros.bin`, reason: /ratio .* over the limit/,
  },
  { name: 'a total size over the limit', limits: { maxTotalBytes: 100 }, zip: () => zipFiles(validFiles()), entry: '', reason: /expand to more than the limit of 100/ },
  { name: 'an entry count over the limit', limits: { maxEntries: 3 }, zip: () => zipFiles(validFiles()), entry: '', reason: /entries, over the limit of 3/ },
  {
    name: 'data that inflates past its declared size',
    zip: () => raw([...asRaw(validFiles()), { name: `mlruns/1/${RUN}/artifacts/big.txt`, data: 'a'.repeat(100_000), method: 8, declaredSize: 10 }]),
    entry: `mlruns/1/${RUN}/artifacts/big.txt`, reason: /declared size/,
  },
  {
    name: 'corrupt data (CRC mismatch)',
    zip: () => { const bytes = rawZip(asRaw(validFiles())); const at = findBytes(bytes, 'hello'); bytes[at] = 'j'.charCodeAt(0); return new Blob([bytes as Uint8Array<ArrayBuffer>]) },
    entry: `mlruns/1/${RUN}/artifacts/a.txt`, reason: /CRC-32/,
  },
  { name: 'an encrypted entry', zip: () => raw([...asRaw(validFiles()), { name: 'secret', data: 'x', flags: 0x0801 }]), entry: 'secret', reason: /encrypted/ },
  { name: 'malformed meta.yaml', zip: () => zipFiles({ ...validFiles(), 'mlruns/1/meta.yaml': 'name: [unclosed\nexperiment_id: 1' }), entry: 'mlruns/1/meta.yaml', reason: /malformed YAML/ },
  { name: 'meta.yaml that is not a mapping', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/meta.yaml`]: '- a list\n' }), entry: `mlruns/1/${RUN}/meta.yaml`, reason: /mapping/ },
  { name: 'an experiment id that is not its folder', zip: () => zipFiles({ ...validFiles(), 'mlruns/1/meta.yaml': "experiment_id: '2'\nname: x\n" }), entry: 'mlruns/1/meta.yaml', reason: /does not match its folder/ },
  { name: 'a run status out of range', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/meta.yaml`]: runMeta.replace('status: 3', 'status: 9') }), entry: `mlruns/1/${RUN}/meta.yaml`, reason: /status 9/ },
  { name: 'a metric line that does not parse', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/metrics/loss`]: '1 0.5 0\n2 zero 1\n' }), entry: `mlruns/1/${RUN}/metrics/loss`, reason: /line 2/ },
  { name: 'a negative metric timestamp', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/metrics/loss`]: '-1 0.5 0\n' }), entry: `mlruns/1/${RUN}/metrics/loss`, reason: /line 1/ },
  { name: 'a params file too long', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/params/big`]: 'x'.repeat(6001) }), entry: `mlruns/1/${RUN}/params/big`, reason: /6000/ },
  { name: 'a param value that is not UTF-8', zip: () => raw([...asRaw(validFiles()), { name: `mlruns/1/${RUN}/params/bin`, data: new Uint8Array([0xff, 0xfe]) }]), entry: `mlruns/1/${RUN}/params/bin`, reason: /UTF-8/ },
  { name: 'an invalid param key', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/params/a=b`]: '1' }), entry: `mlruns/1/${RUN}/params/a=b`, reason: /Invalid param name/ },
  { name: 'a file where a folder must be', zip: () => zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/artifacts/a.txt/inner`]: 'x' }), entry: `mlruns/1/${RUN}/artifacts/a.txt/inner`, reason: /both a file and a folder/ },
  { name: 'run.json that is not JSON', zip: () => zipFiles({ 'experiments.json': '{}', '1/experiment.json': '{"mlflow": {"experiment": {"experiment_id": "1", "name": "x", "tags": {}}, "runs": ["' + RUN + '"]}}', [`1/${RUN}/run.json`]: '{"mlflow": ' }), entry: `1/${RUN}/run.json`, reason: /malformed JSON/ },
  { name: 'an export-import run that is listed but missing', zip: () => zipFiles({ '1/experiment.json': '{"mlflow": {"experiment": {"experiment_id": "1", "name": "x", "tags": {}}, "runs": ["' + RUN + '"]}}' }), entry: '1/experiment.json', reason: /neither/ },
  { name: 'malformed registered model meta.yaml', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/meta.yaml': 'name: [unclosed\n' }), entry: 'mlruns/models/m/meta.yaml', reason: /malformed YAML/ },
  { name: 'a registered model name that is not its folder', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/meta.yaml': 'name: other\n' }), entry: 'mlruns/models/m/meta.yaml', reason: /does not match its folder/ },
  { name: 'a model version with an unknown stage', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/version-1/meta.yaml': modelVersionMeta.replace('current_stage: None', 'current_stage: Live') }), entry: 'mlruns/models/m/version-1/meta.yaml', reason: /current_stage 'Live'/ },
  { name: 'a model version number that is not its folder', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/version-1/meta.yaml': modelVersionMeta.replace('version: 1', 'version: 2') }), entry: 'mlruns/models/m/version-1/meta.yaml', reason: /does not match its folder/ },
  { name: 'a model version without a source', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/version-1/meta.yaml': modelVersionMeta.replace(/source: .*\n/, '').replace(/storage_location: .*\n/, '') }), entry: 'mlruns/models/m/version-1/meta.yaml', reason: /source/ },
  { name: 'a registered model alias that MLflow reserves', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/aliases/latest': '1' }), entry: 'mlruns/models/m/aliases/latest', reason: /reserved/ },
  { name: 'an invalid model version tag key', zip: () => zipFiles({ ...validFiles(), ...modelFiles(), 'mlruns/models/m/version-1/tags/a=b': 'x' }), entry: 'mlruns/models/m/version-1/tags/a=b', reason: /Invalid tag name/ },
  { name: 'a zip that is not a zip', zip: () => new Blob(['just some text that is long enough to look']), entry: '', reason: /not a zip/ },
]

test.each(cases)('refuses $name, naming the entry and the reason, and writes nothing', async ({ zip, entry, reason, limits }) => {
  const before = await rowCounts(store)
  const error = await importArchive(zip(), { trackingUri: uri, ...(limits ? { limits } : {}) }).then(() => null, (failure: unknown) => failure)
  expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  const message = (error as Error).message
  if (entry) expect(message).toContain(`Archive entry '${entry}'`)
  expect(message).toMatch(reason)
  expect(await rowCounts(store)).toEqual(before)
})

test('a limit the caller raises lets a large but honest archive in', async () => {
  const files = { ...validFiles(), [`mlruns/1/${RUN}/artifacts/zeros.bin`]: new Uint8Array(4 << 20) }
  const zip = zipFiles(files)
  await expect(importArchive(zip, { trackingUri: freshStore().uri, limits: { maxCompressionRatio: 10 } })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  const result = await importArchive(zip, { trackingUri: freshStore().uri, limits: { maxCompressionRatio: 100_000 } })
  expect(result.artifactBytes).toBe((4 << 20) + 5)
})

test('a cancelled import rejects with CANCELLED and writes nothing', async () => {
  const controller = new AbortController()
  controller.abort()
  const before = await rowCounts(store)
  await expect(importArchive(zipFiles(validFiles()), { trackingUri: uri, signal: controller.signal })).rejects.toMatchObject({ errorCode: 'CANCELLED' })
  expect(await rowCounts(store)).toEqual(before)
})

test("onConflict 'fail' refuses the whole archive when one run exists; 'replace' overwrites it", async () => {
  const target = freshStore()
  await importArchive(zipFiles(validFiles()), { trackingUri: target.uri })
  const changed = zipFiles({ ...validFiles(), [`mlruns/1/${RUN}/params/lr`]: '0.9' })
  const before = await rowCounts(target.store)
  await expect(importArchive(changed, { trackingUri: target.uri, onConflict: 'fail' })).rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' })
  expect(await rowCounts(target.store)).toEqual(before)
  const replaced = await importArchive(changed, { trackingUri: target.uri, onConflict: 'replace' })
  expect(replaced.runsReplaced).toEqual([RUN])
  expect((await new MlflowClient(target.uri).getRun(RUN)).data.params.lr).toBe('0.9')
  expect(await rowCounts(target.store)).toEqual(before)
})

function findBytes(haystack: Uint8Array, needle: string): number {
  const bytes = new TextEncoder().encode(needle)
  outer: for (let at = 0; at <= haystack.length - bytes.length; at++) {
    for (let index = 0; index < bytes.length; index++) if (haystack[at + index] !== bytes[index]) continue outer
    return at
  }
  throw new Error(`'${needle}' not found`)
}

