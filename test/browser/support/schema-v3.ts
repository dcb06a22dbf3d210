/**
 * Frozen copy of schema version 3 (v2's tables plus sync: push mappings and the offline outbox), as
 * released. Never edit: the upgrade test opens a database written with exactly this, then lets the
 * current LablogDb upgrade it.
 */
import { SCHEMA_V2 } from './schema-v2.ts'

export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  syncMappings: '[target+localRunId], target',
  outbox: '++seq, target, state',
  outboxRunIds: '[target+placeholderId]',
}
