/** Progress of a push or pull on stderr: one line redrawn on a terminal, a line every few seconds otherwise (CI logs). */
import type { CliIo } from './command.ts'

export interface SyncCounts { phase: string; runsDone: number; runCount: number; points: number; artifacts: number }

/** Returns `update(counts)` and `done()`, which ends the line. */
export function syncProgress(io: CliIo, label: string, quiet: boolean): { update: (counts: SyncCounts) => void; done: () => void } {
  const tty = Boolean(io.stderr.isTTY)
  let last = 0, drawn = false
  const update = (counts: SyncCounts) => {
    if (quiet) return
    const now = Date.now()
    if (now - last < (tty ? 100 : 2000) && counts.phase !== 'done') return
    last = now
    const line = `${label}: ${counts.phase} runs ${counts.runsDone}/${counts.runCount}, ${counts.points} points, ${counts.artifacts} artifacts`
    io.stderr.write(tty ? `\r${line.padEnd(Math.min(io.stderr.columns ?? 80, 120) - 1)}` : `${line}\n`)
    drawn = true
  }
  return { update, done: () => { if (tty && drawn) io.stderr.write('\n'); drawn = false } }
}
