// The structured log of a command (pino): one JSON line per event on stderr, written
// synchronously so that a line is out before the process ends. Silent unless --verbose; never
// on stdout, so a --json document stays the only thing there.
import { pino, type Logger } from 'pino';

let shared: Logger | null = null;

/** The process's logger; the first call decides whether it logs (`verbose`). */
export function logger(verbose: boolean): Logger {
  shared ??= pino(
    { level: verbose ? 'debug' : 'silent', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd: 2, sync: true }),
  );
  return shared;
}
