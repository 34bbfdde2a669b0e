// Cron expressions of the daemon's schedules (croner: 5 fields, or 6 with seconds first), read
// in the configuration's time zone: UTC unless it names one, so that by default a schedule
// means the same on every host. Across daylight-saving changes (croner's rules, held by a
// test): a time the spring jump skips fires an hour late that day, a time autumn repeats fires once.
import { Cron } from 'croner';

export const DEFAULT_TIMEZONE = 'UTC';

const options = (timezone: string) => ({ paused: true, timezone }) as const;

/** Why `tz` is not an IANA time zone name, or null when it is one. */
export function timezoneProblem(tz: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return null;
  } catch {
    return `"${tz}" is not a time zone; use an IANA name such as UTC or Europe/Berlin`;
  }
}

/** Why `expr` is not a schedule, or null when it is one. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `"${expr}" has ${fields} fields; a schedule has 5, or 6 with seconds first`;
  try {
    const c = new Cron(expr, options(DEFAULT_TIMEZONE));
    if (c.nextRun() === null) return `"${expr}" never fires`;
    return null;
  } catch (err) {
    return `"${expr}" is not a cron expression: ${(err as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** The next `n` times `expr` fires strictly after `after`. */
export function nextRuns(expr: string, n: number, after: Date, timezone = DEFAULT_TIMEZONE): Date[] {
  return new Cron(expr, options(timezone)).nextRuns(n, after);
}

export function nextRun(expr: string, after: Date, timezone = DEFAULT_TIMEZONE): Date | null {
  return new Cron(expr, options(timezone)).nextRun(after);
}

/** Calls `fire(time)` at each time `expr` names until stopped. */
export function every(expr: string, fire: (at: Date) => void, timezone = DEFAULT_TIMEZONE): { stop: () => void; next: () => Date | null } {
  const job = new Cron(expr, { timezone, catch: true }, (self: Cron) => fire(self.currentRun() ?? new Date()));
  return { stop: () => job.stop(), next: () => job.nextRun() };
}
