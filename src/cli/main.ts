// The snaptier command line: dispatch to one command, map errors to exit codes (CLI.md), and
// print one line per error on stderr, with a stack trace only under --debug.
import { SnaptierError } from '../errors.js';
import { AccessDeniedError, ColdObjectError, RetentionLockedError, RetentionUnsupportedError, StoreError } from '../store/object-store.js';

type Command = (argv: string[]) => Promise<number>;

// Each command's module is loaded only when it runs: a start-up then parses what that command
// needs and no more (backup's schema library alone is about a hundred modules), which scripts
// and schedulers running many short commands feel.
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  backup: async () => (await import('./commands/backup.js')).backupCommand,
  snapshots: async () => (await import('./commands/snapshots.js')).snapshotsCommand,
  restore: async () => (await import('./commands/restore.js')).restoreCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  forget: async () => (await import('./commands/forget.js')).forgetCommand,
  hold: async () => (await import('./commands/hold.js')).holdCommand,
  prune: async () => (await import('./commands/prune.js')).pruneCommand,
  lock: async () => (await import('./commands/lock.js')).lockCommand,
  copy: async () => (await import('./commands/copy.js')).copyCommand,
  tier: async () => (await import('./commands/tier.js')).tierCommand,
  unlock: async () => (await import('./commands/unlock.js')).unlockCommand,
  daemon: async () => (await import('./commands/daemon.js')).daemonCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
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
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(`snaptier: unknown command ${command} (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    return report(err, debug);
  } finally {
    await (await import('./locked.js')).releaseLocks();
    await (await import('./open-store.js')).closeStores();
  }
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof SnaptierError) return err.exitCode;
  // CLI.md: a retention lock forbidding the change is a conflict; a store without locks, bad usage.
  if (err instanceof RetentionLockedError) return 4;
  if (err instanceof RetentionUnsupportedError) return 2;
  // An archived pack read without a rehydration: the user reruns with --rehydrate (docs/archive.md).
  if (err instanceof ColdObjectError) return 2;
  if (err instanceof AccessDeniedError || err instanceof StoreError) return 1;
  return 1;
}

function report(err: unknown, debug: boolean): number {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`snaptier: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exitCodeOf(err);
}
