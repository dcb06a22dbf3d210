/**
 * `lablog convert <in.zip> --to mlruns|export-import -o <out.zip>`: reads either layout from a
 * file on disk and writes the other, streamed, with the same checks importArchive applies.
 */
import { openAsBlob } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { createWriteStream } from 'node:fs'
import { Writable } from 'node:stream'
import { type ArchiveFormat, type ExportImportLayout, archiveStream, readArchive } from '../../archive/index.ts'
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from '../command.ts'
import { progressPrinter } from '../progress.ts'

const USAGE = `Usage: lablog convert <in.zip> --to mlruns|export-import -o <out.zip> [options]

Converts an archive between MLflow's file store (mlruns) and mlflow-export-import's layout.
The input may be either layout (detected), including a zip of an mlruns folder MLflow wrote.

Options:
  --to <format>           mlruns | export-import (required)
  -o, --output <file>     where to write the zip (required; written whole or not at all)
  --layout <layout>       for export-import: released (PyPI 1.2.0, default) | runs-subfolder (GitHub master)
  --no-artifacts          leave artifact files out
  --max-entries <n>       refuse inputs with more entries (default 500000)
  --max-bytes <n>         refuse inputs that expand to more bytes (default 16 GiB)
  --max-ratio <n>         refuse entries compressed more than n:1 (default 1000)
  -q, --quiet             no progress display`

function positiveNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`${option} needs a positive number, got '${value}'`)
  return number
}

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'convert an archive between the mlruns and mlflow-export-import layouts',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args, allowPositionals: true,
      options: {
        to: { type: 'string' }, output: { type: 'string', short: 'o' }, layout: { type: 'string' },
        'no-artifacts': { type: 'boolean' }, 'max-entries': { type: 'string' }, 'max-bytes': { type: 'string' },
        'max-ratio': { type: 'string' }, quiet: { type: 'boolean', short: 'q' },
      },
    })
    if (positionals.length !== 1) throw new UsageError('convert needs exactly one input archive')
    const format = values.to as ArchiveFormat | undefined
    if (format !== 'mlruns' && format !== 'export-import') throw new UsageError("--to must be 'mlruns' or 'export-import'")
    if (!values.output) throw new UsageError('-o <out.zip> is required')
    const layout = (values.layout ?? 'released') as ExportImportLayout
    if (layout !== 'released' && layout !== 'runs-subfolder') throw new UsageError("--layout must be 'released' or 'runs-subfolder'")
    const limits = {
      ...(values['max-entries'] ? { maxEntries: positiveNumber(values['max-entries'], '--max-entries')! } : {}),
      ...(values['max-bytes'] ? { maxTotalBytes: positiveNumber(values['max-bytes'], '--max-bytes')! } : {}),
      ...(values['max-ratio'] ? { maxCompressionRatio: positiveNumber(values['max-ratio'], '--max-ratio')! } : {}),
    }
    const progress = values.quiet ? null : progressPrinter(io, 'convert')
    if (!(await stat(positionals[0]!).catch(() => null))?.isFile()) throw new UsageError(`no such file: ${positionals[0]}`)
    const input = await openAsBlob(positionals[0]!)
    const read = await readArchive(input, { limits })
    const stream = archiveStream(read.contents, {
      format, exportImportLayout: layout, includeArtifacts: !values['no-artifacts'],
      ...(progress ? { onProgress: progress.onProgress } : {}),
    })
    // Written beside the target and renamed at the end, so a failure never leaves a half-written archive.
    const partial = `${values.output}.partial`
    try {
      await stream.pipeTo(Writable.toWeb(createWriteStream(partial)) as WritableStream<Uint8Array>)
      await rename(partial, values.output)
    } catch (error) {
      await rm(partial, { force: true })
      throw error
    } finally {
      progress?.done()
    }
    const runs = read.contents.experiments.reduce((sum, item) => sum + item.runs.length, 0)
    io.stdout.write(`Converted ${read.format} → ${format}: ${read.contents.experiments.length} experiments, ${runs} runs → ${values.output}\n`)
    return 0
  },
}
