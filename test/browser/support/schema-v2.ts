/**
 * Frozen copy of schema version 2 (v1's tables plus the model registry), as released. Never edit:
 * the upgrade test opens a database written with exactly this, then lets the current LablogDb upgrade it.
 */
import { SCHEMA_V1 } from './schema-v1.ts'

export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  registeredModels: '&name, lastUpdatedTimestamp',
  modelVersions: '[name+version], name, runId',
}
