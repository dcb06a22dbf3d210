/**
 * The shape of a CLI subcommand: main.ts dispatches by name from one explicit table, so adding
 * `push` or `pull` is one new file and one line there.
 */

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
