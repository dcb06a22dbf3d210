/** The run's overview: details, Markdown description (editable), params, metrics with min/max/last, tags, datasets. */
import { useState } from 'preact/hooks'
import type { Experiment, Run } from '../../../index.ts'
import type { SeriesStats } from '../../charts/series-store.ts'
import { seriesIdOf } from '../../charts/use-metric-series.ts'
import { KeyValueTable } from '../../components/key-value-table.tsx'
import { Markdown } from '../../components/markdown.tsx'
import { StatusBadge } from '../../components/status-badge.tsx'
import { showError } from '../../components/toasts.tsx'
import { formatDuration, formatNumber, formatTime, runDuration } from '../../format.ts'
import { TAGS, client } from '../../lablog.ts'
import { hrefFor } from '../../router.ts'
import { TagsEditor } from './tags-editor.tsx'

function Description({ run, onChanged }: { run: Run; onChanged: () => void }) {
  const text = run.data.tags[TAGS.note] ?? ''
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(text)
  const save = async () => {
    try { await client.setTag(run.info.runId, TAGS.note, draft); setEditing(false); onChanged() } catch (error) { showError(error) }
  }
  return (
    <section class="section" aria-labelledby="description-title">
      <div class="section-head">
        <h2 id="description-title">Description</h2>
        {!editing && run.info.lifecycleStage === 'active' && <button type="button" class="button button-small" onClick={() => { setDraft(text); setEditing(true) }}>Edit</button>}
      </div>
      {editing ? (
        <div class="description-editor">
          <textarea class="input" aria-label="Description (Markdown)" value={draft} autoFocus onInput={event => setDraft(event.currentTarget.value)} />
          <div class="inline-form">
            <span class="muted">Markdown supported.</span>
            <span style={{ flex: 1 }} />
            <button type="button" class="button button-small" onClick={() => setEditing(false)}>Cancel</button>
            <button type="button" class="button button-small button-primary" onClick={() => void save()}>Save</button>
          </div>
        </div>
      ) : text ? <Markdown source={text} /> : <p class="description-empty">No description.</p>}
    </section>
  )
}

function MetricsSummary({ run, stats }: { run: Run; stats: ReadonlyMap<string, SeriesStats> }) {
  const keys = Object.keys(run.data.metrics).sort((a, b) => a.localeCompare(b))
  if (keys.length === 0) return <p class="muted">No metrics.</p>
  return (
    <table class="data-table" aria-label="Metrics">
      <thead><tr><th scope="col">Metric</th><th scope="col" class="num">Last</th><th scope="col" class="num">Min</th><th scope="col" class="num">Max</th><th scope="col" class="num">Points</th></tr></thead>
      <tbody>
        {keys.map(key => {
          const stat = stats.get(seriesIdOf({ runId: run.info.runId, key }))
          return (
            <tr key={key}>
              <th scope="row" class="kv-key"><a href={hrefFor({ page: 'run', runId: run.info.runId, tab: 'metrics' })}>{key}</a></th>
              <td class="num">{formatNumber(run.data.metrics[key])}</td>
              <td class="num">{stat ? formatNumber(stat.min) : '…'}</td>
              <td class="num">{stat ? formatNumber(stat.max) : '…'}</td>
              <td class="num">{stat ? stat.count.toLocaleString() : '…'}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

export function RunOverview({ run, experiment, stats, onChanged }: { run: Run; experiment: Experiment | undefined; stats: ReadonlyMap<string, SeriesStats>; onChanged: () => void }) {
  const { info, data } = run
  const parentId = data.tags[TAGS.parentRunId]
  const datasets = run.inputs.datasetInputs
  return (
    <div class="overview-grid">
      <div>
        <section class="section" aria-labelledby="details-title">
          <h2 id="details-title" class="section-head">Details</h2>
          <dl class="details">
            <dt>Run ID</dt><dd><code>{info.runId}</code></dd>
            <dt>Status</dt><dd><StatusBadge status={info.status} />{info.lifecycleStage === 'deleted' && <span class="chip">deleted</span>}</dd>
            <dt>Experiment</dt><dd><a href={hrefFor({ page: 'experiments', experimentId: info.experimentId })}>{experiment?.name ?? info.experimentId}</a></dd>
            <dt>Started</dt><dd>{formatTime(info.startTime)}</dd>
            <dt>Ended</dt><dd>{formatTime(info.endTime)}</dd>
            <dt>Duration</dt><dd>{formatDuration(runDuration(info.startTime, info.endTime))}{info.endTime === null && info.status === 'RUNNING' ? ' (running)' : ''}</dd>
            <dt>Source</dt><dd>{data.tags[TAGS.sourceName] ? <code>{data.tags[TAGS.sourceName]}</code> : '—'} {data.tags[TAGS.sourceType] && <span class="muted">({data.tags[TAGS.sourceType]})</span>}</dd>
            <dt>Code version</dt><dd>{data.tags[TAGS.gitCommit] ? <code title={data.tags[TAGS.gitCommit]}>{data.tags[TAGS.gitCommit]!.slice(0, 12)}</code> : '—'}</dd>
            <dt>User</dt><dd>{data.tags[TAGS.user] ?? info.userId}</dd>
            <dt>Parent run</dt><dd>{parentId ? <a href={hrefFor({ page: 'run', runId: parentId, tab: 'overview' })}><code>{parentId}</code></a> : '—'}</dd>
            <dt>Artifact URI</dt><dd><code>{info.artifactUri}</code></dd>
          </dl>
        </section>
        <Description run={run} onChanged={onChanged} />
        <section class="section" aria-labelledby="datasets-title">
          <h2 id="datasets-title" class="section-head">Datasets</h2>
          {datasets.length === 0 ? <p class="muted">No datasets logged.</p> : (
            <table class="data-table" aria-label="Datasets">
              <thead><tr><th scope="col">Name</th><th scope="col">Digest</th><th scope="col">Context</th><th scope="col">Source</th></tr></thead>
              <tbody>
                {datasets.map(input => (
                  <tr key={`${input.dataset.name}-${input.dataset.digest}`}>
                    <td>{input.dataset.name}</td><td><code>{input.dataset.digest}</code></td>
                    <td>{input.tags['mlflow.data.context'] ?? '—'}</td>
                    <td title={input.dataset.source}>{input.dataset.sourceType}: <code>{input.dataset.source}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <div>
        <section class="section" aria-labelledby="metrics-title">
          <h2 id="metrics-title" class="section-head">Metrics</h2>
          <MetricsSummary run={run} stats={stats} />
        </section>
        <section class="section" aria-labelledby="params-title">
          <h2 id="params-title" class="section-head">Parameters</h2>
          <KeyValueTable label="Parameters" empty="No parameters."
            rows={Object.entries(data.params).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value, title: value }))} />
        </section>
        <section class="section" aria-labelledby="tags-title">
          <h2 id="tags-title" class="section-head">Tags</h2>
          <TagsEditor run={run} onChanged={onChanged} />
        </section>
      </div>
    </div>
  )
}
