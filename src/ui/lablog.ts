/** The app's one connection to the library: a client on the local tracking URI, shared by every page. */
import { DEFAULT_TRACKING_URI, MlflowClient } from '../index.ts'

/** Where the app reads and writes: the browser's IndexedDB store. */
export const TRACKING_URI = DEFAULT_TRACKING_URI

/** The shared client (explicit ids, like MLflow's MlflowClient). */
export const client = new MlflowClient(TRACKING_URI)

/** MLflow's system tags the UI reads and edits. */
export const TAGS = {
  parentRunId: 'mlflow.parentRunId',
  note: 'mlflow.note.content',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  runName: 'mlflow.runName',
} as const
