// The snaptier command line: dispatch to one command, map errors to exit codes (CLI.md), and
// print one line per error on stderr (and, under --json, one error document on stdout), with a
// stack trace only under --debug.
import { readFileSync } from 'node:fs';
import { SnaptierError } from '../errors.js';
import { AccessDeniedError, ColdObjectError, ImmutableObjectError, ImmutabilityUnsupportedError, StoreError } from '../store/object-store.js';

type Command = (argv: string[]) => Promise<number>;

// Each command's module is loaded only when it runs: a start-up then parses what that command
// needs and no more (backup's schema library alone is about a hundred modules), which scripts
// and schedulers running many short commands feel. A new command is one line here and one
// entry in commands-table.ts.
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
  key: async () => (await import('./commands/key.js')).keyCommand,
  daemon: async () => (await import('./commands/daemon.js')).daemonCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
};

/** The version in package.json (dist/cli/main.js and src/cli/main.ts are both two levels down). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * A reader that closed our stdout (`| head`) is not a failure of the command: its work stands and
 * its exit code says how it went. Without a listener, the EPIPE of the next write would end the
 * process as an unhandled 'error' event, with a stack trace and exit 1, after a backup committed.
 */
function toleratePipeClose(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  toleratePipeClose(process.stdout);
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  const json = rest.includes('--json');
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`snaptier ${version()}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    const { help } = await import('./help.js');
    return help(command ? rest[0] : undefined, command ? 0 : 2, version());
  }
  const load = COMMANDS[command];
  if (!load) {
    const { help, unknownCommand } = await import('./help.js');
    // A command of the table not built into this binary (serve, daemon) still has its help.
    if (rest.includes('--help') || rest.includes('-h')) return help(command, 0, version());
    return report(unknownCommand(command, Object.keys(COMMANDS)), debug, json);
  }
  const started = Date.now();
  const log = (await import('./log.js')).logger(rest.includes('--verbose'));
  log.info({ phase: 'start', command }, `snaptier ${command} starting`);
  let code = 1;
  try {
    code = await (await load())(rest);
    return code;
  } catch (err) {
    if (err instanceof (await import('./args.js')).HelpShown) return (code = 0);
    code = report(err, debug, json);
    return code;
  } finally {
    log.info({ phase: 'end', command, exitCode: code, durationMs: Date.now() - started }, `snaptier ${command} ended with exit ${code}`);
    await (await import('./leases.js')).releaseLeases();
    await (await import('./open-store.js')).closeStores();
  }
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof SnaptierError) return err.exitCode;
  // CLI.md: immutability forbidding the change is a conflict; a store without it, bad usage.
  if (err instanceof ImmutableObjectError) return 4;
  if (err instanceof ImmutabilityUnsupportedError) return 2;
  // An archived pack read without a rehydration: the user reruns with --rehydrate (docs/archive.md).
  if (err instanceof ColdObjectError) return 2;
  if (err instanceof AccessDeniedError || err instanceof StoreError) return 1;
  return 1;
}

function report(err: unknown, debug: boolean, json: boolean): number {
  const msg = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  const exitCode = exitCodeOf(err);
  process.stderr.write(`snaptier: ${msg}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { exitCode, message: msg, ...(err instanceof SnaptierError ? { code: err.code } : {}) } })}\n`);
  return exitCode;
}
