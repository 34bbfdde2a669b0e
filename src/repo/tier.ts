// The tier job: moves data packs older than N days to a storage class or access tier (an archive
// tier, typically), as a lifecycle rule would, from the repository's side. Only data packs move:
// the config, map/tree packs, manifests, leases, holds and records stay where they are, readable at
// once, so that listing, planning, forget and check never wait for a thaw. Plan, then execute.
import { DATA_PREFIX, parsePackKey } from '../format/layout.js';
import { PackKind } from '../format/types.js';
import { UsageError } from '../errors.js';
import { isNotFound, type ObjectStore } from '../store/object-store.js';
import type { Repository } from './repository.js';

const DAY_MS = 86_400_000;

export interface TierRequest {
  /** Packs last written at least this many days ago move. */
  olderThanDays: number;
  tier: string;
  dryRun?: boolean;
  /** "Now" for the age (default: the clock). */
  nowMs?: number;
  signal?: AbortSignal;
  onMoved?: (done: number, total: number) => void;
}

export interface TierPlan {
  tier: string;
  /** Data packs to move: key and size. */
  move: Array<{ key: string; size: number }>;
  bytes: number;
  /** Data packs already in the tier, and those younger than the cut-off. */
  alreadyThere: number;
  tooYoung: number;
}

export interface TierReport extends TierPlan {
  /** Packs moved by this run (0 on a dry run); packs deleted meanwhile (by prune) are skipped. */
  moved: number;
  vanished: number;
}

/** Which data packs would move: listed once, aged by their last write, nothing changed. */
export async function planTier(repo: Repository, req: TierRequest): Promise<TierPlan> {
  const store = repo.store;
  const tier = canonical(store, req.tier);
  if (!Number.isFinite(req.olderThanDays) || req.olderThanDays < 0) throw new UsageError('--older-than is a number of days, 0 or more');
  const cutoff = (req.nowMs ?? Date.now()) - req.olderThanDays * DAY_MS;
  const plan: TierPlan = { tier, move: [], bytes: 0, alreadyThere: 0, tooYoung: 0 };
  for await (const o of store.list(DATA_PREFIX, req.signal)) {
    if (parsePackKey(o.key)?.kind !== PackKind.Data) continue;
    if ((o.tier ?? '').toLowerCase() === tier.toLowerCase()) {
      plan.alreadyThere++;
      continue;
    }
    if (o.modifiedMs === undefined || o.modifiedMs > cutoff) {
      plan.tooYoung++;
      continue;
    }
    plan.move.push({ key: o.key, size: o.size });
    plan.bytes += o.size;
  }
  plan.move.sort((a, b) => (a.key < b.key ? -1 : 1));
  return plan;
}

export async function tierDataPacks(repo: Repository, req: TierRequest): Promise<TierReport> {
  const plan = await planTier(repo, req);
  const report: TierReport = { ...plan, moved: 0, vanished: 0 };
  if (req.dryRun) return report;
  const store = repo.store;
  let next = 0;
  const worker = async () => {
    while (next < plan.move.length) {
      req.signal?.throwIfAborted();
      const p = plan.move[next++]!;
      try {
        await store.setTier!(p.key, plan.tier);
        report.moved++;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        report.vanished++; // pruned since the listing: nothing to move
      }
      req.onMoved?.(report.moved + report.vanished, plan.move.length);
    }
  };
  // Eight at a time: copies in place are cheap for the client but each is a whole-object copy
  // inside the store; the retry and limit wrappers below bound it anyway.
  await Promise.all(Array.from({ length: Math.min(8, plan.move.length) }, worker));
  return report;
}

/** The store's own spelling of `tier`, or a usage error naming the tiers it has. */
function canonical(store: ObjectStore, tier: string): string {
  const found = store.capabilities.tiers.find((t) => t.toLowerCase() === tier.toLowerCase());
  if (!found || !store.setTier) {
    const known = store.capabilities.tiers;
    throw new UsageError(`--class ${tier} is not a tier of ${store.description}${known.length ? `: use one of ${known.join(', ')}` : ' (it has no tiers)'}`);
  }
  return found;
}
