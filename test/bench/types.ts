/** What every bench module returns: figures only, never assertions. */
export interface BenchResult { name: string; value: number; unit: string; target?: string }
