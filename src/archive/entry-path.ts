/**
 * Which zip entry names are safe: relative, '/'-separated, no '..' or '.' segments, no
 * backslash, NUL, drive letter or control character, so nothing can land outside the tree.
 */
import { badEntry } from './archive-errors.ts'

/** Checks a raw entry name and returns it without a trailing '/' (directories keep isDirectory). */
export function checkEntryName(name: string): { path: string; isDirectory: boolean } {
  // Called for every entry of archives with 100,000s of them: the refusal's printable name is made only when refusing.
  const refuse = (reason: string) => badEntry(name.replace(/[\0-\x1f]/g, '?'), reason)
  if (name.length === 0) throw refuse('the entry has an empty name')
  if (name.includes('\0')) throw refuse('the name contains a NUL character')
  if (/[\x01-\x1f\x7f]/.test(name)) throw refuse('the name contains a control character')
  if (name.includes('\\')) throw refuse('the name contains a backslash; zip paths use "/"')
  if (name.startsWith('/')) throw refuse('absolute paths are not allowed')
  if (/^[a-zA-Z]:/.test(name)) throw refuse('a drive letter is not allowed')
  const isDirectory = name.endsWith('/')
  const path = isDirectory ? name.slice(0, -1) : name
  // The first segment that is '..', '.' or empty.
  const bad = /(?:^|\/)(\.\.|\.|)(?=\/|$)/.exec(path)
  if (bad) throw refuse(bad[1] === '..' ? "'..' segments would escape the archive's folder" : "empty or '.' path segments are not allowed")
  return { path, isDirectory }
}

/** Entries that operating systems add when zipping a folder; never part of the data. */
export function isOsClutter(path: string): boolean {
  return path.startsWith('__MACOSX/') || path === '__MACOSX' || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/.test(path)
}

/**
 * An artifact path taken from inside a checked entry name. It is safe already (relative, no '..');
 * unlike validateArtifactPath it allows '#', which MLflow's own log_image(key=…, step=…) writes.
 */
export function artifactPathFrom(entryPath: string, prefix: string): string {
  const path = entryPath.slice(prefix.length)
  if (!entryPath.startsWith(prefix) || path === '') throw badEntry(entryPath, 'an artifact needs a file name')
  return path
}
