// Executes a rehydration plan: asks the store to thaw each cold pack once, then polls their
// status with a growing interval (an injected clock) until every one is readable. A rerun after
// a kill resumes from what the store says: a pack whose restore is running is only waited for,
// never requested again, so nothing is billed twice.
import { REHYDRATE_POLL, STORE_CONCURRENCY } from '../defaults.js';
import { ColdObjectError, type ObjectStore, type RestorePriority } from '../store/object-store.js';
import type { PlannedPack } from './rehydrate-plan.js';

/** Time for the poll loop; tests pass one they advance themselves. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(resolve, ms);
      const abort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
    }),
};

export interface RehydrateOptions {
  priority: RestorePriority;
  /** Days an S3 restored copy stays readable; it must outlast the restore that follows. */
  days: number;
  clock?: Clock;
  /** First wait between status rounds; it doubles up to `maxPollMs` (defaults.ts REHYDRATE_POLL). */
  firstPollMs?: number;
  maxPollMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: RehydrateEvent) => void;
}

export type RehydrateEvent =
  | { kind: 'requested'; requested: number; inProgress: number; readable: number }
  | { kind: 'waiting'; pending: number; total: number; nextPollMs: number };

export interface RehydrateReport {
  /** Restore requests this run sent that started a restore. */
  requested: number;
  /** Packs whose restore an earlier run (or someone else) had requested: waited for, not requested. */
  inProgress: number;
  /** Packs found readable on the way (restored meanwhile). */
  readable: number;
  /** Status rounds (one HEAD per pending pack each). */
  polls: number;
  waitedMs: number;
}

export async function rehydrate(store: ObjectStore, cold: readonly PlannedPack[], opts: RehydrateOptions): Promise<RehydrateReport> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const report: RehydrateReport = { requested: 0, inProgress: 0, readable: 0, polls: 0, waitedMs: 0 };
  if (!store.requestRestore || !store.capabilities.archiveTiers?.length) {
    throw new ColdObjectError(cold[0]?.key ?? '(none)', `${store.description} cannot restore archived objects`);
  }
  const request = store.requestRestore.bind(store);
  let pending = [...cold];
  // Request: only packs no restore is running for (the plan's HEAD said so).
  await eachBounded(
    pending.filter((p) => !p.restoring),
    async (p) => {
      const outcome = await request(p.key, { days: opts.days, priority: opts.priority });
      if (outcome === 'requested') report.requested++;
      else if (outcome === 'in-progress') report.inProgress++;
      else report.readable++;
    },
  );
  report.inProgress += pending.filter((p) => p.restoring).length;
  opts.onEvent?.({ kind: 'requested', requested: report.requested, inProgress: report.inProgress, readable: report.readable });

  let delay = Math.min(opts.firstPollMs ?? REHYDRATE_POLL.firstMs, opts.maxPollMs ?? REHYDRATE_POLL.maxMs);
  const max = opts.maxPollMs ?? REHYDRATE_POLL.maxMs;
  for (;;) {
    const still: PlannedPack[] = [];
    report.polls++;
    await eachBounded(pending, async (p) => {
      const a = (await store.head(p.key)).archive;
      if (!a?.cold) return;
      // Cold with no restore running: a restored copy expired, or a request was lost. Ask again.
      if (!a.restoring) {
        const outcome = await request(p.key, { days: opts.days, priority: opts.priority });
        if (outcome === 'requested') report.requested++;
        if (outcome === 'restored') return;
      }
      still.push(p);
    });
    pending = still;
    if (pending.length === 0) break;
    opts.onEvent?.({ kind: 'waiting', pending: pending.length, total: cold.length, nextPollMs: delay });
    await clock.sleep(delay, opts.signal);
    delay = Math.min(delay * 2, max);
  }
  report.waitedMs = clock.now() - started;
  return report;
}

/** Runs `fn` over `items`, STORE_CONCURRENCY at a time, pulling one shared index. */
async function eachBounded<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(STORE_CONCURRENCY, items.length) }, worker));
}
