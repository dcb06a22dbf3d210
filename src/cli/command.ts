/**
 * The shape of a CLI subcommand: main.ts dispatches by name from one explicit table, so adding
 * `push` or `pull` is one new file and one line there.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
}

export interface CliCommand {
  name: string
  /** One line for `lablog --help`. */
  summary: string
  /** Full usage text for `lablog <name> --help`. */
  usage: string
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** node:util's parseArgs, with its errors (an unknown option, a missing value) turned into UsageErrors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}
