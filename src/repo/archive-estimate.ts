// A model repository for the archive cost estimate: a volume backed up daily for a year, a share
// of it rewritten each day, data packs archived after some days. It sizes what a year of
// snapshots stores, what each month of it costs online and archived, and which packs a restore
// of the newest (or the oldest) snapshot must thaw, then prices that thaw with the planner's own
// estimateThaw and the dated price table. Assumptions are parameters, stated in its output.
import { SEGMENT_SIZE, PACK_SIZE } from '../defaults.js';
import type { RestorePriority } from '../store/object-store.js';
import { type PriceTable, pricesOf } from './archive-prices.js';
import { type CostEstimate, estimateThaw } from './rehydrate-plan.js';

export interface EstimateModel {
  volumeBytes: number;
  /** Share of the volume rewritten each day, at random segments (0.05: 5%). */
  dailyChange: number;
  /** Daily snapshots, all kept (compliance immutability). */
  days: number;
  /** Data packs older than this many days are in the archive tier. */
  archiveAfterDays: number;
  tier: string;
  priority: RestorePriority;
  /** Days a restored S3 copy stays readable. */
  restoreDays: number;
  packBytes?: number;
  /** Bytes of one changed run (a chunk): a segment by default, the largest chunk. */
  chunkBytes?: number;
}

export interface Estimate {
  model: Required<EstimateModel>;
  storedBytes: number;
  archivedBytes: number;
  /** USD per month at the end of the period, everything online vs data packs older than archiveAfterDays archived. */
  monthlyOnlineUsd: number;
  monthlyArchivedUsd: number;
  /** The newest snapshot: bytes and packs it needs from the archive, and their thaw. */
  latest: { coldBytes: number; coldPacks: number; thaw: CostEstimate };
  /** The oldest snapshot (the first, full backup): all of it is cold. */
  oldest: { coldBytes: number; coldPacks: number; thaw: CostEstimate };
  priceDate: string;
}

const GIB = 1024 ** 3;

export function estimateArchive(input: EstimateModel, table: PriceTable): Estimate {
  const m: Required<EstimateModel> = { packBytes: PACK_SIZE, chunkBytes: SEGMENT_SIZE, ...input };
  const entry = pricesOf(table, m.tier);
  if (!entry) throw new Error(`no price for tier ${m.tier} in the table of ${table.date}`);
  const online = table.onlinePerGiBMonth[entry.store];
  const perPack = m.packBytes / m.chunkBytes;
  // Day 0 writes the whole volume; each later day writes dailyChange of it.
  const written = (d: number) => (d === 0 ? m.volumeBytes : m.volumeBytes * m.dailyChange);
  let storedBytes = 0;
  let archivedBytes = 0;
  let coldBytes = 0;
  let coldPacks = 0;
  const newest = m.days - 1;
  for (let d = 0; d <= newest; d++) {
    const bytes = written(d);
    storedBytes += bytes;
    if (newest - d < m.archiveAfterDays) continue;
    archivedBytes += bytes;
    // A chunk written on day d is still live in the newest snapshot when none of the days after
    // rewrote its segment; a pack must be thawed whole when any of its chunks is live.
    const live = (1 - m.dailyChange) ** (newest - d);
    const packs = bytes / m.packBytes;
    const needed = packs * (1 - (1 - live) ** perPack);
    coldPacks += needed;
    coldBytes += needed * m.packBytes;
  }
  const firstPacks = m.volumeBytes / m.packBytes;
  const hotBytes = storedBytes - archivedBytes;
  return {
    model: m,
    storedBytes,
    archivedBytes,
    monthlyOnlineUsd: (storedBytes / GIB) * online,
    monthlyArchivedUsd: (hotBytes / GIB) * online + (archivedBytes / GIB) * entry.storagePerGiBMonth,
    latest: {
      coldBytes,
      coldPacks,
      thaw: estimateThaw([{ size: coldBytes, tier: m.tier, count: coldPacks }], m.priority, m.restoreDays, table),
    },
    oldest: {
      coldBytes: m.days - 1 >= m.archiveAfterDays ? m.volumeBytes : 0,
      coldPacks: m.days - 1 >= m.archiveAfterDays ? firstPacks : 0,
      thaw: estimateThaw(m.days - 1 >= m.archiveAfterDays ? [{ size: m.volumeBytes, tier: m.tier, count: firstPacks }] : [], m.priority, m.restoreDays, table),
    },
    priceDate: table.date,
  };
}
