/** The Models page (loaded on first visit): the registry's model list at #/models, one model at #/models/<name>. */
import { ModelDetail } from '../models/model-detail.tsx'
import { ModelList } from '../models/model-list.tsx'
import '../styles/tools.css'

export function ModelsPage({ name }: { name?: string }) {
  return name === undefined ? <ModelList /> : <ModelDetail name={name} />
}
