// The archive-tier flags of `restore` (--rehydrate, --priority, --plan-only, --rehydrate-days,
// --rehydrate-poll, --prices) and how their plan and progress are printed. Kept apart from
// restore.ts so that the restore command itself changes by a few lines.
import { REHYDRATE_DAYS } from '../defaults.js';
import { UsageError } from '../errors.js';
import { loadPrices } from '../repo/archive-prices.js';
import { snapshotId } from '../repo/catalog.js';
import type { ColdRestoreRequest } from '../repo/cold-restore.js';
import type { RehydrationPlan } from '../repo/rehydrate-plan.js';
import type { RehydrateEvent, RehydrateReport } from '../repo/rehydrate.js';
import type { RestorePriority } from '../store/object-store.js';
import { type Values, flag, int, str } from './args.js';
import { type Output, bytes } from './output.js';

export const REHYDRATE_OPTIONS = {
  rehydrate: { type: 'boolean' },
  priority: { type: 'string' },
  'plan-only': { type: 'boolean' },
  'rehydrate-days': { type: 'string' },
  /** Longest wait between status polls, in seconds (decimals allowed; default 900). */
  'rehydrate-poll': { type: 'string' },
  prices: { type: 'string' },
} as const;

const PRIORITIES: readonly RestorePriority[] = ['bulk', 'standard', 'expedited'];

export async function rehydrateRequest(
  v: Values,
  out: Output,
  base: Pick<ColdRestoreRequest, 'volume' | 'snapshot' | 'offset' | 'length'>,
): Promise<ColdRestoreRequest> {
  const priority = (str(v, 'priority') ?? 'standard') as RestorePriority;
  if (!PRIORITIES.includes(priority)) throw new UsageError(`restore: --priority is bulk, standard or expedited, not ${priority}`);
  const days = int(v, 'rehydrate-days') ?? REHYDRATE_DAYS;
  if (days < 1) throw new UsageError('restore: --rehydrate-days is at least 1');
  const pollRaw = str(v, 'rehydrate-poll');
  const poll = pollRaw === undefined ? undefined : Number(pollRaw);
  if (poll !== undefined && !(poll > 0)) throw new UsageError(`restore: --rehydrate-poll ${pollRaw}: expected seconds, more than 0`);
  const prices = await loadPrices(str(v, 'prices'));
  return {
    ...base,
    rehydrate: flag(v, 'rehydrate'),
    planOnly: flag(v, 'plan-only'),
    priority,
    days,
    prices,
    ...(poll !== undefined ? { maxPollMs: poll * 1000, firstPollMs: poll * 1000 } : {}),
    onEvent: (e) => out.log(eventLine(e)),
  };
}

function eventLine(e: RehydrateEvent): string {
  if (e.kind === 'requested') return `rehydrate: ${e.requested} restore requests sent, ${e.inProgress} already running, ${e.readable} already readable`;
  return `rehydrate: ${e.pending} of ${e.total} packs still thawing; next look in ${Math.round(e.nextPollMs / 1000)} s`;
}

export function planFigures(p: RehydrationPlan) {
  return {
    snapshot: snapshotId(p.manifest),
    offset: p.offset,
    length: p.length,
    packs: p.packs,
    cold: p.cold.length,
    coldBytes: p.coldBytes,
    restoring: p.cold.filter((c) => c.restoring).length,
    restored: p.restored,
    coldPacks: p.cold.map((c) => ({ key: c.key, size: c.size, tier: c.tier, restoring: c.restoring })),
    estimate: p.estimate,
  };
}

export function planLines(p: RehydrationPlan): string {
  const e = p.estimate;
  const time = !e.hours ? 'not offered at this priority' : e.hours[0] === 0 ? `up to ${fmtHours(e.hours[1])}` : `${fmtHours(e.hours[0])} to ${fmtHours(e.hours[1])}`;
  const lines = [
    `snapshot ${snapshotId(p.manifest).slice(0, 8)}: ${p.packs} data packs needed, ${p.cold.length} cold (${bytes(p.coldBytes)})` +
      (p.restored ? `, ${p.restored} archived but restored` : ''),
  ];
  if (p.cold.length) {
    lines.push(`estimate at --priority ${e.priority}: $${e.usd.toFixed(2)}, ${time} (prices of ${e.priceDate}${e.unpriced.length ? `; no price for ${e.unpriced.join(', ')}` : ''})`);
    for (const c of p.cold) lines.push(`  ${c.key}  ${bytes(c.size)}  ${c.tier}${c.restoring ? '  (restore running)' : ''}`);
  } else lines.push('nothing to rehydrate: the restore can start at once');
  return lines.join('\n');
}

export function rehydrationFigures(r: RehydrateReport | null) {
  return r ? { requested: r.requested, inProgress: r.inProgress, readable: r.readable, polls: r.polls, waitedMs: r.waitedMs } : null;
}

function fmtHours(h: number): string {
  return h < 1 ? `${Math.round(h * 60)} min` : `${h} h`;
}
