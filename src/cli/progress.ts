/** A one-line progress display on stderr: redrawn in place on a terminal, a line every few seconds otherwise (CI logs). */
import type { ArchiveProgress } from '../archive/index.ts'
import type { CliIo } from './command.ts'

const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1)

/** Returns an onProgress callback and a `done` that ends the line. */
export function progressPrinter(io: CliIo, label: string): { onProgress: (progress: ArchiveProgress) => void; done: () => void } {
  const tty = Boolean(io.stderr.isTTY)
  let lastLine = 0
  let drawn = false
  const onProgress = (progress: ArchiveProgress) => {
    const now = Date.now()
    if (!tty && now - lastLine < 2000 && progress.phase !== 'done') return
    lastLine = now
    const bytes = progress.bytesTotal ? `${megabytes(progress.bytesDone)}/${megabytes(progress.bytesTotal)} MB` : `${megabytes(progress.bytesDone)} MB`
    const fraction = progress.bytesTotal ? progress.bytesDone / progress.bytesTotal : progress.runsTotal ? progress.runsDone / progress.runsTotal : 0
    const bar = tty ? `[${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')}] ` : ''
    const line = `${label} ${bar}${progress.phase} runs ${progress.runsDone}/${progress.runsTotal}, artifacts ${bytes}`
    io.stderr.write(tty ? `\r${line.padEnd(Math.min(io.stderr.columns ?? 80, 120) - 1)}` : `${line}\n`)
    drawn = true
  }
  return { onProgress, done: () => { if (tty && drawn) io.stderr.write('\n') } }
}
