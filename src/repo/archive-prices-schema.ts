// The checked shape of a price table given with `--prices FILE` (see archive-prices.ts), in its
// own module so that zod loads only when a user's table is read. archive-prices.ts checks at
// compile time that it describes the same tables as the types there.
import { z } from 'zod';

const Retrieval = z.object({
  /** Per GiB restored (USD). */
  perGiB: z.number().nonnegative(),
  /** Per 1000 restore requests (one per object). */
  per1000Requests: z.number().nonnegative(),
  /** How long a restore takes, as the provider states it: [least, most] hours. */
  hours: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
});

export const TierPrices = z.object({
  store: z.enum(['s3', 'azure']),
  tier: z.string(),
  /** Storage per GiB-month (USD). */
  storagePerGiBMonth: z.number().nonnegative(),
  /** Minimum billed days: an object deleted or moved earlier is billed to this many days. */
  minDays: z.number().int().nonnegative(),
  /** Per 1000 requests that move an object into the tier (S3 copy/PUT, Azure Set Blob Tier). */
  transitionPer1000: z.number().nonnegative(),
  /** Retrieval prices by priority; a priority the tier does not offer is absent. */
  retrieval: z.object({ bulk: Retrieval.optional(), standard: Retrieval.optional(), expedited: Retrieval.optional() }),
});

export const PriceTableSchema = z.object({
  /** When the figures were compiled (ISO date). */
  date: z.string(),
  currency: z.literal('USD'),
  region: z.string(),
  sources: z.array(z.string()),
  /** Storage per GiB-month of the online tier a restored copy is billed at (S3 STANDARD, Azure Hot). */
  onlinePerGiBMonth: z.object({ s3: z.number().nonnegative(), azure: z.number().nonnegative() }),
  tiers: z.array(TierPrices),
});
