/** The system tags MLflow's Python client sets on a new run, read from wherever this code runs. */
import { sha256Hex } from '../core/ids.ts'

export const SYSTEM_TAGS = {
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  parentRunId: 'mlflow.parentRunId',
  note: 'mlflow.note.content',
  runName: 'mlflow.runName',
} as const

let userName: string | undefined

/** The name stored in mlflow.user; the app's settings page sets it. */
export function setUserName(name: string | undefined): void { userName = name || undefined }

export function currentUser(): string {
  if (userName) return userName
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return env?.LOGNAME || env?.USER || env?.USERNAME || 'unknown'
}

/** The page or script that logs: the browser's location, or the Node script's path. */
export function currentSource(): string {
  const location = (globalThis as { location?: { href?: string } }).location
  if (location?.href) return location.href.split('#')[0]!.split('?')[0]!
  const argv = (globalThis as { process?: { argv?: string[] } }).process?.argv
  return argv?.[1] ?? 'unknown'
}

export interface RunContextOptions { nested?: string; description?: string; codeVersion?: string; sourceCode?: string }

/** System tags for a new run. Tags the caller gives win over these. */
export async function systemTags(options: RunContextOptions): Promise<Record<string, string>> {
  const tags: Record<string, string> = {
    [SYSTEM_TAGS.user]: currentUser(),
    [SYSTEM_TAGS.sourceName]: currentSource(),
    [SYSTEM_TAGS.sourceType]: 'LOCAL',
  }
  if (options.nested) tags[SYSTEM_TAGS.parentRunId] = options.nested
  if (options.description !== undefined) tags[SYSTEM_TAGS.note] = options.description
  // A browser has no git checkout: the code version is the given commit, or the SHA-256 of the training script's text.
  if (options.codeVersion) tags[SYSTEM_TAGS.gitCommit] = options.codeVersion
  else if (options.sourceCode !== undefined) tags[SYSTEM_TAGS.gitCommit] = await sha256Hex(options.sourceCode)
  return tags
}
