/**
 * MLflow's model registry JSON (model_registry.proto: RegisteredModel, ModelVersion, aliases) to
 * Lablog's entities. The server leaves unset fields out, so every optional one has a default here.
 */
import { MODEL_VERSION_STAGES, type ModelVersion, type ModelVersionStage, type ModelVersionStatus, type RegisteredModel } from '../../core/types.ts'
import { type WireTag, readInt64, tagsToRecord } from './wire-format.ts'

/** A model version as the server sends it; `version` is a string, int64 timestamps may be strings. */
export interface WireModelVersion {
  name: string; version: string | number; creation_timestamp?: number | string; last_updated_timestamp?: number | string
  user_id?: string; current_stage?: string; description?: string; source?: string; run_id?: string
  status?: string; status_message?: string; tags?: WireTag[]; run_link?: string; aliases?: string[]
}

/** A registered model as the server sends it. */
export interface WireRegisteredModel {
  name: string; creation_timestamp?: number | string; last_updated_timestamp?: number | string; user_id?: string
  description?: string; latest_versions?: WireModelVersion[]; tags?: WireTag[]
  aliases?: { alias: string; version: string | number }[]
}

const STATUSES: readonly ModelVersionStatus[] = ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY']

/** The stage in MLflow's canonical spelling; a server-specific stage is kept as sent rather than lost. */
function readStage(stage: string | undefined): ModelVersionStage {
  if (!stage) return 'None'
  return MODEL_VERSION_STAGES.find(known => known.toLowerCase() === stage.toLowerCase()) ?? stage as ModelVersionStage
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** A ModelVersion entity; aliases sorted, as the local store lists them. */
export function readModelVersion(wire: WireModelVersion): ModelVersion {
  const status = STATUSES.find(known => known === wire.status) ?? 'READY'
  return {
    name: wire.name, version: String(wire.version),
    creationTimestamp: readInt64(wire.creation_timestamp), lastUpdatedTimestamp: readInt64(wire.last_updated_timestamp),
    description: wire.description ?? '', userId: wire.user_id ?? '', currentStage: readStage(wire.current_stage),
    source: wire.source ?? '', runId: wire.run_id ?? '', runLink: wire.run_link ?? '', status, statusMessage: wire.status_message ?? '',
    tags: tagsToRecord(wire.tags), aliases: [...(wire.aliases ?? [])].sort(byText),
  }
}

/** A RegisteredModel entity; latest versions in MLflow's stage order, aliases sorted by name. */
export function readRegisteredModel(wire: WireRegisteredModel): RegisteredModel {
  const stageRank = (version: ModelVersion) => MODEL_VERSION_STAGES.indexOf(version.currentStage)
  return {
    name: wire.name, creationTimestamp: readInt64(wire.creation_timestamp), lastUpdatedTimestamp: readInt64(wire.last_updated_timestamp),
    description: wire.description ?? '', tags: tagsToRecord(wire.tags),
    latestVersions: (wire.latest_versions ?? []).map(readModelVersion).sort((a, b) => stageRank(a) - stageRank(b)),
    aliases: (wire.aliases ?? []).map(({ alias, version }) => ({ alias, version: String(version) })).sort((a, b) => byText(a.alias, b.alias)),
  }
}
