/**
 * The remote MLflow servers the user added (Settings and Sync share this one list), with their
 * credentials, kept in this browser's localStorage and handed to the library with configureRemote.
 */
import { type RestAuth, configureRemote } from '../../index.ts'
import { PREF, readPref, usePref } from '../prefs.ts'

/** A tracking server the sync feature pushes to and pulls from. `auth` is absent for open servers. */
export interface RemoteServer { name: string; url: string; auth?: RestAuth }

/** The list as state, shared live by every component that shows it. */
export function useServers(): [RemoteServer[], (servers: RemoteServer[]) => void] {
  return usePref<RemoteServer[]>(PREF.remoteServers, [])
}

/** Tells the library how to reach a server (its credentials); read at every request, so it applies at once. */
export function configureServer(server: RemoteServer): void {
  configureRemote(server.url, { auth: server.auth ?? null })
}

/** Configures every saved server: the Sync page calls it once, so pushes and the outbox carry credentials. */
export function configureSavedServers(): void {
  for (const server of readPref<RemoteServer[]>(PREF.remoteServers, [])) configureServer(server)
}

/** "basic (ada)", "bearer token" or "none", for the servers table. */
export function describeAuth(auth: RestAuth | undefined): string {
  if (!auth) return 'none'
  return auth.type === 'basic' ? `basic (${auth.username})` : 'bearer token'
}

/** A URL the library accepts as a tracking URI: http(s), no trailing slash; or a message saying what is wrong. */
export function normalizeServerUrl(text: string): { url: string } | { error: string } {
  let url: URL
  try { url = new URL(text.trim()) } catch { return { error: 'Enter a full URL, such as http://127.0.0.1:5000' } }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: 'Only http:// and https:// servers are supported.' }
  if (url.username || url.password) return { error: 'Put credentials in the fields below, not in the URL.' }
  return { url: url.href.replace(/\/+$/, '') }
}
