// Cron expressions of the daemon's schedules (croner: 5 fields, or 6 with seconds first),
// always in UTC so that a schedule means the same on every host.
import { Cron } from 'croner';

const OPTIONS = { paused: true, timezone: 'UTC' } as const;

/** Why `expr` is not a schedule, or null when it is one. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `"${expr}" has ${fields} fields; a schedule has 5, or 6 with seconds first`;
  try {
    const c = new Cron(expr, OPTIONS);
    if (c.nextRun() === null) return `"${expr}" never fires`;
    return null;
  } catch (err) {
    return `"${expr}" is not a cron expression: ${(err as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** The next `n` times `expr` fires strictly after `after`. */
export function nextRuns(expr: string, n: number, after: Date): Date[] {
  return new Cron(expr, OPTIONS).nextRuns(n, after);
}

export function nextRun(expr: string, after: Date): Date | null {
  return new Cron(expr, OPTIONS).nextRun(after);
}

/** Calls `fire(time)` at each time `expr` names until stopped. */
export function every(expr: string, fire: (at: Date) => void): { stop: () => void; next: () => Date | null } {
  const job = new Cron(expr, { timezone: 'UTC', catch: true }, (self: Cron) => fire(self.currentRun() ?? new Date()));
  return { stop: () => job.stop(), next: () => job.nextRun() };
}
