/**
 * The search module: MLflow's search_runs / search_experiments filter and order_by grammar, and
 * page tokens. Pure code, no I/O; compile once, then filter and sort many items.
 */
export { FilterSyntaxError, type Span } from './errors.ts'
export { tokenizeFilter, type FilterToken, type FilterTokenKind, type FilterKeyword, type IdentifierSegment } from './tokenizer.ts'
export { compileRunFilter, DATASET_CONTEXT_TAG, type RunPredicate } from './run-filter.ts'
export { compileRunOrderBy, type RunComparator } from './run-order.ts'
export {
  compileExperimentFilter, compileExperimentOrderBy, compareExperimentIds, type ExperimentComparator, type ExperimentPredicate,
} from './experiments.ts'
export { paginate, encodePageToken, decodePageToken, resolveMaxResults, MAX_SEARCH_RESULTS } from './paging.ts'
