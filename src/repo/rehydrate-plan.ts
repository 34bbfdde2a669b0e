// Plan, then execute: before a restore reads anything, the exact set of data packs a snapshot
// (or a byte range of it) needs, which of them are cold (in an archive tier, not readable now),
// their size, and what thawing them costs and takes at a priority. Pure reads: map nodes (kept
// hot) and one HEAD per needed pack; nothing is requested and no data pack is read.
import { STORE_CONCURRENCY } from '../defaults.js';
import { MapWalker } from '../engine/index.js';
import { UsageError } from '../errors.js';
import { DATA_PREFIX, packKey } from '../format/layout.js';
import { type Manifest, PackKind } from '../format/types.js';
import type { ObjectStore, RestorePriority } from '../store/object-store.js';
import { type PriceTable, pricesOf } from './archive-prices.js';
import { checkVolumeName, describe, resolveSnapshot } from './catalog.js';
import type { Repository } from './repository.js';

export interface PlannedPack {
  key: string;
  size: number;
  tier: string;
  /** In an archive tier with no finished restore: a GET would be refused. */
  cold: boolean;
  /** A restore of it was requested earlier and is running. */
  restoring: boolean;
}

export interface CostEstimate {
  priority: RestorePriority;
  /** Retrieval (per GiB and per request) plus the restored copies kept online for `days`, USD. */
  usd: number;
  /** The providers' stated thaw time for this priority: [least, most] hours; null when a tier does not offer it. */
  hours: [number, number] | null;
  /** Tiers among the cold packs the price table does not know, or that do not offer the priority. */
  unpriced: string[];
  priceDate: string;
}

export interface RehydrationPlan {
  manifest: Manifest;
  offset: number;
  length: number;
  /** How many data packs the restore reads. */
  packs: number;
  /** The packs that are not readable now (cold, whether a restore of them runs or not). */
  cold: PlannedPack[];
  coldBytes: number;
  /** Needed packs in an archive tier that are readable now (restored earlier, copy not expired). */
  restored: number;
  estimate: CostEstimate;
}

export interface PlanRequest {
  volume: string;
  snapshot: string;
  offset?: number;
  length?: number;
  priority: RestorePriority;
  /** Days a restored S3 copy stays readable: billed at the online rate meanwhile. */
  days: number;
  prices: PriceTable;
  signal?: AbortSignal;
}

export async function planRehydration(repo: Repository, req: PlanRequest): Promise<RehydrationPlan> {
  checkVolumeName(req.volume);
  const { manifest } = await resolveSnapshot(repo, req.volume, req.snapshot);
  const offset = req.offset ?? 0;
  const length = req.length ?? manifest.size - offset;
  if (offset < 0 || length < 0 || offset + length > manifest.size) {
    throw new UsageError(`range ${offset}+${length} lies outside ${describe(manifest)} of ${manifest.size} bytes`);
  }
  const keys = await packsNeeded(repo, manifest, offset, length);
  // Only packs in an archive tier can be cold: a listing says which (a page per 1000 packs), and
  // only those get a HEAD for their restore status. Stores whose listing has no tiers HEAD all.
  const archived = await archivedPacks(repo.store, req.signal);
  const candidates = archived ? keys.filter((k) => archived.has(k)) : keys;
  const headed = await headAll(repo, candidates, req.signal);
  const cold = headed.filter((p) => p.cold);
  return {
    manifest,
    offset,
    length,
    packs: keys.length,
    cold,
    coldBytes: cold.reduce((n, p) => n + p.size, 0),
    restored: headed.filter((p) => !p.cold && p.tier !== '' && isArchiveTier(repo.store, p.tier)).length,
    estimate: estimateThaw(cold, req.priority, req.days, req.prices),
  };
}

function isArchiveTier(store: ObjectStore, tier: string): boolean {
  return (store.capabilities.archiveTiers ?? []).some((t) => t.toLowerCase() === tier.toLowerCase());
}

/**
 * Keys of the data packs the store lists in an archive tier (memory: one entry per archived
 * pack), or null when its listing does not tell tiers.
 */
async function archivedPacks(store: ObjectStore, signal?: AbortSignal): Promise<Set<string> | null> {
  const out = new Set<string>();
  for await (const o of store.list(DATA_PREFIX, signal)) {
    if (o.tier === undefined) return null;
    if (isArchiveTier(store, o.tier)) out.add(o.key);
  }
  return out;
}

/** The data pack keys the segments of [offset, offset+length) use, in map order, each once. */
export async function packsNeeded(repo: Repository, m: Manifest, offset: number, length: number): Promise<string[]> {
  if (length === 0) return [];
  const g = repo.geometry;
  const first = Math.floor(offset / g.segmentSize);
  const last = Math.ceil((offset + length) / g.segmentSize); // no leaf lies past the map's end
  const seen = new Set<string>();
  for await (const v of new MapWalker(repo).leaves(m, first, last)) {
    for (const e of v.leaf.extents) seen.add(packKey(PackKind.Data, e.chunk.pack));
  }
  return [...seen];
}

/** One HEAD per pack, STORE_CONCURRENCY workers pulling one shared index. */
async function headAll(repo: Repository, keys: readonly string[], signal?: AbortSignal): Promise<PlannedPack[]> {
  const out: PlannedPack[] = new Array(keys.length);
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      signal?.throwIfAborted();
      const i = next++;
      const info = await repo.store.head(keys[i]!);
      const a = info.archive;
      out[i] = { key: keys[i]!, size: info.size, tier: a?.tier ?? '', cold: a?.cold ?? false, restoring: a?.restoring ?? false };
    }
  };
  await Promise.all(Array.from({ length: Math.min(STORE_CONCURRENCY, keys.length) }, worker));
  return out;
}

const GIB = 1024 ** 3;

/**
 * What thawing `packs` (each an object, or `count` objects of `size` bytes in all) costs at `priority` (retrieval per GiB and per request, and the restored
 * copies kept online for `days`) and how long the provider says it takes (the slowest tier).
 */
export function estimateThaw(
  packs: ReadonlyArray<{ size: number; tier: string; count?: number }>,
  priority: RestorePriority,
  days: number,
  table: PriceTable,
): CostEstimate {
  let usd = 0;
  let hours: [number, number] | null = null;
  const unpriced = new Set<string>();
  for (const p of packs) {
    const entry = pricesOf(table, p.tier);
    const r = entry?.retrieval[priority];
    if (!entry || !r) {
      unpriced.add(p.tier || '(unknown tier)');
      continue;
    }
    const gib = p.size / GIB;
    // `count` lets a model pass many packs of one tier as one entry of their total size.
    usd += gib * r.perGiB + (r.per1000Requests * (p.count ?? 1)) / 1000;
    // An S3 restore is a temporary copy billed at the online rate for its days; an Azure
    // rehydration moves the blob to Hot for good (billed there until it is archived again).
    usd += gib * table.onlinePerGiBMonth[entry.store] * (days / 30);
    hours = hours ? [Math.max(hours[0], r.hours[0]), Math.max(hours[1], r.hours[1])] : [r.hours[0], r.hours[1]];
  }
  return { priority, usd, hours, unpriced: [...unpriced], priceDate: table.date };
}
