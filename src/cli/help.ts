// `snaptier help [COMMAND]`, `snaptier --help`, and the answer to a mistyped command.
import { UsageError } from '../errors.js';
import { COMMAND_TABLE, COMMON_FLAGS, commandSpec } from './commands-table.js';
import { nearest, renderHelp, renderOverview } from './spec.js';

/** Prints the overview, or one command's help; an unknown command is exit 2 with a hint. */
export function help(command: string | undefined, code: number, version: string): number {
  if (command === undefined) {
    (code === 0 ? process.stdout : process.stderr).write(`${renderOverview(COMMAND_TABLE, version)}\n`);
    return code;
  }
  const spec = commandSpec(command);
  if (!spec) {
    process.stderr.write(`snaptier: ${unknownCommand(command, COMMAND_TABLE.map((c) => c.name)).message}\n`);
    return 2;
  }
  process.stdout.write(`${renderHelp(spec, COMMON_FLAGS)}\n`);
  return 0;
}

/** The error for a command that is not known, or is in the table but not built into this binary. */
export function unknownCommand(command: string, built: readonly string[]): UsageError {
  if (commandSpec(command)) return new UsageError(`the ${command} command is not part of this build of snaptier (commands: ${built.join(', ')})`);
  const near = nearest(command, COMMAND_TABLE.map((c) => c.name));
  return new UsageError(`unknown command ${command}${near ? `; did you mean ${near}?` : ''} (commands: ${built.join(', ')}; snaptier help lists them)`);
}
