// Schedules: one cron timer per volume and per policy, calling `fire` at each time. What runs
// after a restart is decided by planCatchUp, a pure function: an item whose last success (or,
// never having succeeded, whose first queued job) is older than a time its schedule named
// since runs once now, not once per missed time. Items the daemon never ran have missed nothing.
import { every, nextRun } from './cron.js';

export interface Item {
  volume: string | null;
  policy: string | null;
  schedule: string;
  /** The IANA time zone the schedule is read in. */
  timezone: string;
}

export interface Standing {
  /** ISO time of the last success, or null. */
  lastSuccess: string | null;
  /** ISO time the first job of the item was queued, or null when it never ran. */
  firstQueuedAt: string | null;
}

export function planCatchUp<T extends Item>(items: readonly T[], standing: (item: T) => Standing, now: Date): T[] {
  return items.filter((item) => {
    const s = standing(item);
    const since = s.lastSuccess ?? s.firstQueuedAt;
    if (since === null) return false;
    const due = nextRun(item.schedule, new Date(since), item.timezone);
    return due !== null && due.getTime() <= now.getTime();
  });
}

export class Scheduler<T extends Item> {
  private timers: Array<{ item: T; stop: () => void; next: () => Date | null }> = [];

  constructor(private readonly fire: (item: T, at: Date) => void) {}

  /** Replaces every timer with those of `items`. */
  apply(items: readonly T[]): void {
    this.stop();
    this.timers = items.map((item) => ({ item, ...every(item.schedule, (at) => this.fire(item, at), item.timezone) }));
  }

  nextRun(key: { volume?: string; policy?: string }): Date | null {
    const t = this.timers.find((x) => (key.policy !== undefined ? x.item.policy === key.policy : x.item.policy === null && x.item.volume === key.volume));
    return t?.next() ?? null;
  }

  stop(): void {
    for (const t of this.timers) t.stop();
    this.timers = [];
  }
}
