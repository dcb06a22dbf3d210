/** Picks local runs to push when none came from a runs table: an experiment, then its runs as checkboxes. */
import { useState } from 'preact/hooks'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'

export interface RunPickerProps {
  selected: ReadonlySet<string>
  onChange: (selected: ReadonlySet<string>) => void
  disabled?: boolean
}

/** Lists the newest 500 active runs of the chosen experiment (the runs table is the tool for more). */
export function RunPicker({ selected, onChange, disabled }: RunPickerProps) {
  const experiments = useAsync(async () => (await client.searchExperiments({ maxResults: 1000 })).experiments, [])
  const [experimentId, setExperimentId] = useState<string>()
  const chosen = experimentId ?? experiments.value?.[0]?.experimentId
  const runs = useAsync(async () => (chosen === undefined ? [] : (await client.searchRuns({ experimentIds: [chosen], maxResults: 500, orderBy: ['attributes.start_time DESC'] })).runs), [chosen])

  const toggle = (runId: string) => {
    const next = new Set(selected)
    if (next.has(runId)) next.delete(runId)
    else next.add(runId)
    onChange(next)
  }
  return (
    <div class="run-picker">
      <label class="field inline-field">
        <span class="field-label">Experiment</span>
        <select class="input" value={chosen} disabled={disabled} onChange={event => { setExperimentId(event.currentTarget.value); onChange(new Set()) }}>
          {experiments.value?.map(experiment => <option key={experiment.experimentId} value={experiment.experimentId}>{experiment.name}</option>)}
        </select>
      </label>
      <div class="experiment-checks" role="group" aria-label="Runs to push">
        {runs.value === undefined ? <p class="muted">Reading runs…</p> : runs.value.length === 0 ? <p class="muted">This experiment has no runs.</p>
          : runs.value.map(run => (
            <label key={run.info.runId} class="check-label">
              <input type="checkbox" checked={selected.has(run.info.runId)} disabled={disabled} onChange={() => toggle(run.info.runId)} />
              <span>{run.info.runName || run.info.runId}</span>
            </label>
          ))}
      </div>
    </div>
  )
}
