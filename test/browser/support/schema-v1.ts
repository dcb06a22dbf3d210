/**
 * Frozen copy of schema version 1, as released. Never edit: the upgrade test opens
 * a database written with exactly this, then lets the current LablogDb upgrade it.
 */
export const SCHEMA_V1 = {
  experiments: '&experimentId, &name, creationTime',
  runs: '&runId, experimentId, [experimentId+startTime]',
  metricChunks: '[runId+key+seq]',
  artifacts: '[runId+path], runId',
}
