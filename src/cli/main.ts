// The snaptier command line: dispatch to one command, map errors to exit codes (CLI.md), and
// print one line per error on stderr, with a stack trace only under --debug.
import { SnaptierError } from '../errors.js';
import { AccessDeniedError, StoreError } from '../store/object-store.js';
import { backupCommand } from './commands/backup.js';
import { checkCommand } from './commands/check.js';
import { diffCommand } from './commands/diff.js';
import { initCommand } from './commands/init.js';
import { restoreCommand } from './commands/restore.js';
import { snapshotsCommand } from './commands/snapshots.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  init: initCommand,
  backup: backupCommand,
  snapshots: snapshotsCommand,
  restore: restoreCommand,
  diff: diffCommand,
  check: checkCommand,
};

const USAGE = `usage: snaptier <command> --repo URL [options]
commands: ${Object.keys(COMMANDS).join(', ')}
see CLI.md in the snaptier repository for every flag`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`snaptier: unknown command ${command}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    return report(err, debug);
  }
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof SnaptierError) return err.exitCode;
  if (err instanceof AccessDeniedError || err instanceof StoreError) return 1;
  return 1;
}

function report(err: unknown, debug: boolean): number {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`snaptier: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exitCodeOf(err);
}
