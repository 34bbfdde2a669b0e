// The step before a restore on a store with archive tiers: plan which needed packs are cold,
// and then, as asked, only print the plan, refuse (naming the count and the flag), or request
// their rehydration and wait for it. A restore that needs no cold pack goes ahead at once.
import { UsageError } from '../errors.js';
import type { RestorePriority } from '../store/object-store.js';
import type { PriceTable } from './archive-prices.js';
import { describe } from './catalog.js';
import { type RehydrationPlan, planRehydration } from './rehydrate-plan.js';
import { type Clock, type RehydrateEvent, type RehydrateReport, rehydrate } from './rehydrate.js';
import type { Repository } from './repository.js';

/** A restore needs packs that are in an archive tier and not restored: exit 2, rerun with --rehydrate. */
export class RehydrationNeededError extends UsageError {
  override readonly code = 'REHYDRATION_NEEDED';
  constructor(readonly plan: RehydrationPlan) {
    const tiers = [...new Set(plan.cold.map((p) => p.tier))].join(', ');
    const running = plan.cold.filter((p) => p.restoring).length;
    super(
      `${describe(plan.manifest)} needs ${plan.cold.length} of its ${plan.packs} data packs from the archive tier ${tiers} ` +
        `(${plan.coldBytes} bytes${running ? `, ${running} of them already being restored` : ''}): ` +
        'restore with --rehydrate to request them and wait (--plan-only shows the packs, cost and time)',
    );
  }
}

export interface ColdRestoreRequest {
  volume: string;
  snapshot: string;
  offset?: number;
  length?: number;
  /** Request and wait for the rehydration of cold packs (else a restore that needs one is refused). */
  rehydrate: boolean;
  /** Plan only: nothing is requested. */
  planOnly: boolean;
  priority: RestorePriority;
  days: number;
  prices: PriceTable;
  clock?: Clock;
  firstPollMs?: number;
  maxPollMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: RehydrateEvent) => void;
}

export interface ColdRestoreOutcome {
  /** Null when the store has no archive tiers (and no plan was asked for). */
  plan: RehydrationPlan | null;
  rehydration: RehydrateReport | null;
}

export async function prepareColdRestore(repo: Repository, req: ColdRestoreRequest): Promise<ColdRestoreOutcome> {
  if (!repo.store.capabilities.archiveTiers?.length && !req.planOnly) return { plan: null, rehydration: null };
  const plan = await planRehydration(repo, {
    volume: req.volume,
    snapshot: req.snapshot,
    ...(req.offset !== undefined ? { offset: req.offset } : {}),
    ...(req.length !== undefined ? { length: req.length } : {}),
    priority: req.priority,
    days: req.days,
    prices: req.prices,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  if (req.planOnly || plan.cold.length === 0) return { plan, rehydration: null };
  if (!req.rehydrate) throw new RehydrationNeededError(plan);
  const rehydration = await rehydrate(repo.store, plan.cold, {
    priority: req.priority,
    days: req.days,
    ...(req.clock ? { clock: req.clock } : {}),
    ...(req.firstPollMs !== undefined ? { firstPollMs: req.firstPollMs } : {}),
    ...(req.maxPollMs !== undefined ? { maxPollMs: req.maxPollMs } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
  });
  return { plan, rehydration };
}
