/**
 * Run artifacts through a tracking server's artifact proxy (`mlflow-artifacts`): files are PUT
 * and GET at /api/2.0/mlflow-artifacts/artifacts/<run's artifact root>/<path>, listed with
 * mlflow/artifacts/list. The root comes from the run's artifact_uri (`mlflow-artifacts:/<exp>/<run>/artifacts`).
 */
import { MlflowError, doesNotExist } from '../../core/errors.ts'
import { validateArtifactPath, validateRunId } from '../../core/validation.ts'
import type { ArtifactStore, FileEntry } from '../tracking-store.ts'
import type { HttpTransport } from './http-transport.ts'
import { RestError } from './rest-errors.ts'
import { readInt64 } from './wire-format.ts'

const PROXY = '/api/2.0/mlflow-artifacts/artifacts'
const LIST = '/api/2.0/mlflow/artifacts/list'

interface WireFileInfo { path: string; is_dir?: boolean; file_size?: number | string }

/**
 * The proxy path of an `mlflow-artifacts:` URI: scheme and any host dropped, as MLflow's own
 * client does. `mlflow-artifacts://host:5000/1/abc/artifacts` → `1/abc/artifacts`.
 * Undefined for any other scheme (s3:, a server-local path, …), which the proxy cannot reach.
 */
export function proxyPathOf(artifactUri: string): string | undefined {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri)
  return match ? match[1]!.replace(/\/+$/, '') : undefined
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/')

export class RestArtifactStore implements ArtifactStore {
  private readonly roots = new Map<string, string>()

  /** `artifactUriOf` reads a run's artifact_uri (runs/get); it is fetched once per run. */
  constructor(private readonly transport: HttpTransport, private readonly artifactUriOf: (runId: string) => Promise<string>) {}

  async logArtifact(runId: string, path: string, data: Blob): Promise<void> {
    const artifactPath = validateArtifactPath(path)
    const url = `${PROXY}/${encodePath(await this.root(runId))}/${encodePath(artifactPath)}`
    await this.transport.send({ method: 'PUT', path: url, body: data, idempotent: true })
  }

  /** Direct children of `path`, with paths relative to the run's root (as mlflow/artifacts/list gives them), sorted. */
  async listArtifacts(runId: string, path = ''): Promise<FileEntry[]> {
    validateRunId(runId)
    const directory = validateArtifactPath(path, { allowEmpty: true })
    const entries: FileEntry[] = []
    let pageToken: string | undefined
    do {
      const page = await this.transport.json<{ files?: WireFileInfo[]; next_page_token?: string }>({
        method: 'GET', path: LIST, idempotent: true, query: { run_id: runId, path: directory || undefined, page_token: pageToken },
      })
      for (const file of page.files ?? []) {
        entries.push(file.is_dir ? { path: file.path, isDir: true } : { path: file.path, isDir: false, fileSize: readInt64(file.file_size) })
      }
      pageToken = page.files?.length ? page.next_page_token || undefined : undefined
    } while (pageToken)
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  /** RESOURCE_DOES_NOT_EXIST when no such file (MLflow itself answers a bare 500 for that). */
  async readArtifact(runId: string, path: string): Promise<Blob> {
    const artifactPath = validateArtifactPath(path)
    const request = { method: 'GET', path: `${PROXY}/${encodePath(await this.root(runId))}/${encodePath(artifactPath)}`, idempotent: true } as const
    try {
      // A 500 here usually means "no such file": check that before spending retries on it.
      return await this.transport.blob({ ...request, retryOn500: false })
    } catch (error) {
      if (!(error instanceof RestError) || error.failure.status !== 500) throw error
      if (!await this.fileExists(runId, artifactPath)) throw doesNotExist(`No artifact at '${artifactPath}' in run ${runId}`)
      return this.transport.blob(request)
    }
  }

  /** Deletes a file or a folder (the whole root when `path` is empty). */
  async deleteArtifacts(runId: string, path = ''): Promise<void> {
    const target = validateArtifactPath(path, { allowEmpty: true })
    const root = encodePath(await this.root(runId))
    await this.transport.send({ method: 'DELETE', path: target ? `${PROXY}/${root}/${encodePath(target)}` : `${PROXY}/${root}`, idempotent: true })
  }

  private async fileExists(runId: string, path: string): Promise<boolean> {
    const slash = path.lastIndexOf('/')
    const siblings = await this.listArtifacts(runId, slash < 0 ? '' : path.slice(0, slash))
    return siblings.some(entry => entry.path === path && !entry.isDir)
  }

  private async root(runId: string): Promise<string> {
    validateRunId(runId)
    const cached = this.roots.get(runId)
    if (cached !== undefined) return cached
    const artifactUri = await this.artifactUriOf(runId)
    const root = proxyPathOf(artifactUri)
    if (root === undefined) {
      throw new MlflowError('NOT_IMPLEMENTED', `Run ${runId} keeps its artifacts at '${artifactUri}', which the server's artifact proxy does not serve. `
        + "Uploads and downloads over REST need an 'mlflow-artifacts:' location: run the server with --serve-artifacts (the default since MLflow 2.0) "
        + 'and create experiments without an artifact location.')
    }
    this.roots.set(runId, root)
    return root
  }
}
