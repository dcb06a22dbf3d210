/**
 * The Node command line (`lablog <command>`): one explicit table of subcommands, errors printed
 * as MLflow's error code and message. bin/lablog.js runs this file through tsx.
 */
import { pathToFileURL } from 'node:url'
import { isMlflowError } from '../core/errors.ts'
import { type CliCommand, type CliIo, UsageError } from './command.ts'
import { convertCommand } from './commands/convert.ts'
import { pullCommand } from './commands/pull.ts'
import { pushCommand } from './commands/push.ts'

/** Every subcommand, by name. */
const COMMANDS: Record<string, CliCommand> = {
  [convertCommand.name]: convertCommand,
  [pushCommand.name]: pushCommand,
  [pullCommand.name]: pullCommand,
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map(name => name.length))
  return `Usage: lablog <command> [options]\n\nCommands:\n${Object.values(COMMANDS).map(command => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}\n\nRun 'lablog <command> --help' for a command's options.\n`
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.stdout.write(help()); return name ? 0 : 2 }
  const command = COMMANDS[name]
  if (!command) { io.stderr.write(`lablog: unknown command '${name}'\n\n${help()}`); return 2 }
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(`${command.usage}\n`); return 0 }
  try {
    return await command.run(args, io)
  } catch (error) {
    if (error instanceof UsageError) { io.stderr.write(`lablog ${name}: ${error.message}\n\n${command.usage}\n`); return 2 }
    if (isMlflowError(error)) { io.stderr.write(`lablog ${name}: ${error.errorCode}: ${error.message}\n`); return 1 }
    const code = (error as NodeJS.ErrnoException)?.code
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') { io.stderr.write(`lablog ${name}: ${(error as Error).message}\n`); return 1 }
    throw error
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code }, error => {
    process.stderr.write(`lablog: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`)
    process.exitCode = 1
  })
}
