// The structured log of a command (pino): one JSON line per event on stderr, written
// synchronously so that a line is out before the process ends. Only under --verbose, and pino
// is loaded only then (about 150 ms of start-up under load, which every short command would
// pay); never on stdout, so a --json document stays the only thing there.
import { createRequire } from 'node:module';
import type { Logger as Pino } from 'pino';

/** The part of pino's logger the CLI uses. */
export interface Log {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

const SILENT: Log = { info: () => {}, warn: () => {} };
let shared: Log | null = null;

/** The process's logger; the first call decides whether it logs (`verbose`). */
export function logger(verbose: boolean): Log {
  shared ??= verbose ? verboseLogger() : SILENT;
  return shared;
}

function verboseLogger(): Log {
  const pino = createRequire(import.meta.url)('pino') as typeof import('pino');
  const log: Pino = pino(
    { level: 'debug', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd: 2, sync: true }),
  );
  return log;
}
