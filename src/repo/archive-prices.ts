// The dated price and thaw-time table the rehydration planner and the cost estimate use: list
// prices of the archive tiers and their retrievals. Prices change; the table says when it was
// compiled and from where, and a JSON file of the same shape (`--prices FILE`) replaces it.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import type { PriceTableSchema, TierPrices } from './archive-prices-schema.js';

/** Prices of one retrieval priority. */
export interface RetrievalPrices {
  /** Per GiB restored (USD). */
  perGiB: number;
  /** Per 1000 restore requests (one per object). */
  per1000Requests: number;
  /** How long a restore takes, as the provider states it: [least, most] hours. */
  hours: [number, number];
}

export interface TierPriceEntry {
  store: 's3' | 'azure';
  tier: string;
  /** Storage per GiB-month (USD). */
  storagePerGiBMonth: number;
  /** Minimum billed days: an object deleted or moved earlier is billed to this many days. */
  minDays: number;
  /** Per 1000 requests that move an object into the tier (S3 copy/PUT, Azure Set Blob Tier). */
  transitionPer1000: number;
  /** Retrieval prices by priority; a priority the tier does not offer is absent. */
  retrieval: { bulk?: RetrievalPrices | undefined; standard?: RetrievalPrices | undefined; expedited?: RetrievalPrices | undefined };
}

export interface PriceTable {
  /** When the figures were compiled (ISO date). */
  date: string;
  currency: 'USD';
  region: string;
  sources: string[];
  /** Storage per GiB-month of the online tier a restored copy is billed at (S3 STANDARD, Azure Hot). */
  onlinePerGiBMonth: { s3: number; azure: number };
  tiers: TierPriceEntry[];
}

// The schema (checking a user's table) and these types must describe the same tables: each
// direction is a compile-time check.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTable: Same<z.infer<typeof PriceTableSchema>, PriceTable> = true;
const sameTier: Same<z.infer<typeof TierPrices>, TierPriceEntry> = true;
void sameTable;
void sameTier;

/**
 * List prices, us-east-1 (S3) and East US LRS (Azure), per GiB as the providers bill "GB".
 * Compiled from the providers' public price and documentation pages as remembered on the date
 * below, not fetched live: check them against the pages and override with `--prices FILE`.
 * Azure has no bulk priority: bulk is priced as Standard; High is `expedited`.
 */
export const DEFAULT_PRICES: PriceTable = {
  date: '2026-12-06',
  currency: 'USD',
  region: 'AWS us-east-1; Azure East US (LRS)',
  sources: ['https://aws.amazon.com/s3/pricing/', 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html', 'https://azure.microsoft.com/pricing/details/storage/blobs/', 'https://learn.microsoft.com/azure/storage/blobs/archive-rehydrate-overview'],
  onlinePerGiBMonth: { s3: 0.023, azure: 0.0184 },
  tiers: [
    {
      store: 's3',
      tier: 'GLACIER',
      storagePerGiBMonth: 0.0036,
      minDays: 90,
      transitionPer1000: 0.03,
      retrieval: {
        bulk: { perGiB: 0, per1000Requests: 0.025, hours: [5, 12] },
        standard: { perGiB: 0.01, per1000Requests: 0.05, hours: [3, 5] },
        expedited: { perGiB: 0.03, per1000Requests: 10, hours: [1 / 60, 5 / 60] },
      },
    },
    {
      store: 's3',
      tier: 'DEEP_ARCHIVE',
      storagePerGiBMonth: 0.00099,
      minDays: 180,
      transitionPer1000: 0.05,
      retrieval: {
        bulk: { perGiB: 0.0025, per1000Requests: 0.025, hours: [0, 48] },
        standard: { perGiB: 0.02, per1000Requests: 0.1, hours: [0, 12] },
      },
    },
    {
      store: 'azure',
      tier: 'Archive',
      storagePerGiBMonth: 0.00099,
      minDays: 180,
      transitionPer1000: 0.01,
      retrieval: {
        bulk: { perGiB: 0.02, per1000Requests: 0.5, hours: [1, 15] },
        standard: { perGiB: 0.02, per1000Requests: 0.5, hours: [1, 15] },
        expedited: { perGiB: 0.1, per1000Requests: 5, hours: [0, 1] },
      },
    },
  ],
};

/** The default table, or the one in `file` (the same JSON shape), checked. */
export async function loadPrices(file?: string): Promise<PriceTable> {
  if (!file) return DEFAULT_PRICES;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--prices ${file}: not a readable JSON file (${(err as Error).message})`);
  }
  // The schema library is loaded only for a user's table: it is ~0.07 s of every restore's start.
  const { PriceTableSchema } = await import('./archive-prices-schema.js');
  const parsed = PriceTableSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UsageError(`--prices ${file}: ${first ? `${first.path.join('.') || '(top)'}: ${first.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** The entry for a tier (names compared without case; S3 and Azure names do not collide), or undefined. */
export function pricesOf(table: PriceTable, tier: string): TierPriceEntry | undefined {
  return table.tiers.find((t) => t.tier.toLowerCase() === tier.toLowerCase());
}
