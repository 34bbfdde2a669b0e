// Durations and dates given on the command line: `--grace 90m`, `--until 2027-01-31`.
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `0`, or a sum of number+unit terms: `90s`, `15m`, `1h30m`, `2d`, `1w`. */
export function parseDuration(flag: string, s: string): number {
  if (s === '0') return 0;
  const terms = [...s.matchAll(/(\d+)(ms|s|m|h|d|w)/g)];
  if (terms.length === 0 || terms.map((t) => t[0]).join('') !== s) {
    throw new UsageError(`--${flag} ${s} is not a duration: use 0 or a number with a unit, e.g. 30m, 1h, 2d, 1h30m`);
  }
  return terms.reduce((n, t) => n + Number(t[1]) * UNITS[t[2]!]!, 0);
}

/** An ISO 8601 date or time; a date alone means midnight UTC. */
export function parseDate(flag: string, s: string): number {
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t)) throw new UsageError(`--${flag} ${s} is not an ISO 8601 date or time`);
  return t;
}
