// The keep policy of `forget` (its --keep-* rules), as restic applies it: snapshots newest first, one bucket
// per rule, and a snapshot is kept when any rule keeps it. `--keep-daily N` keeps the newest
// snapshot of each of the N most recent days that have snapshots; likewise hours, ISO weeks,
// months and years, all in UTC. Pure: no I/O, no clock.

export interface KeepPolicy {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
}

export const RULES = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type Rule = (typeof RULES)[number];

export interface Dated {
  timeMs: number;
}

export interface PolicyResult<T> {
  keep: T[];
  remove: T[];
  /** Why each kept item is kept: the rules that chose it ('daily', ...). */
  reasons: Map<T, Rule[]>;
}

/** True when the policy has at least one rule with a count above zero. */
export function hasRules(p: KeepPolicy): boolean {
  return RULES.some((r) => (p[r] ?? 0) > 0);
}

/** The period of `timeMs` a rule buckets by; `nr` (position, newest first) for keep-last. */
export function bucketOf(rule: Rule, timeMs: number, nr: number): number {
  const d = new Date(timeMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  switch (rule) {
    case 'last':
      return nr;
    case 'hourly':
      return y * 1_000_000 + m * 10_000 + d.getUTCDate() * 100 + d.getUTCHours();
    case 'daily':
      return y * 10_000 + m * 100 + d.getUTCDate();
    case 'weekly': {
      const w = isoWeek(timeMs);
      return w.year * 100 + w.week;
    }
    case 'monthly':
      return y * 100 + m;
    case 'yearly':
      return y;
  }
}

/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), in UTC. */
export function isoWeek(timeMs: number): { year: number; week: number } {
  const d = new Date(timeMs);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return { year, week };
}

/**
 * Applies `policy` to the snapshots of one volume. Items come back newest first in both lists.
 * Ties in time are ordered by the caller's order (newest first means later in the input first).
 */
export function applyPolicy<T extends Dated>(items: readonly T[], policy: KeepPolicy): PolicyResult<T> {
  const sorted = items.map((item, i) => ({ item, i })).sort((a, b) => b.item.timeMs - a.item.timeMs || b.i - a.i);
  const buckets = RULES.filter((r) => (policy[r] ?? 0) > 0).map((rule) => ({ rule, count: policy[rule] ?? 0, last: Number.NaN }));
  const keep: T[] = [];
  const remove: T[] = [];
  const reasons = new Map<T, Rule[]>();
  sorted.forEach(({ item }, nr) => {
    const why: Rule[] = [];
    // Every rule looks at every snapshot (no short cut): a snapshot one rule keeps still
    // opens a new period for the others, exactly as restic counts.
    for (const b of buckets) {
      if (b.count <= 0) continue;
      const value = bucketOf(b.rule, item.timeMs, nr);
      if (value !== b.last) {
        b.last = value;
        b.count--;
        why.push(b.rule);
      }
    }
    if (why.length) {
      keep.push(item);
      reasons.set(item, why);
    } else remove.push(item);
  });
  return { keep, remove, reasons };
}
