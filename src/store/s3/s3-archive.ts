// What S3 says about archived objects, read in one place: the storage classes that must be
// restored before a GET (GLACIER, DEEP_ARCHIVE), the x-amz-restore header of HeadObject, and the
// RestoreObject tier for a priority.
import type { ArchiveStatus, RestorePriority } from '../object-store.js';

/** Classes whose objects a GET refuses (403 InvalidObjectState) until RestoreObject has finished. */
export const S3_ARCHIVE_TIERS = ['GLACIER', 'DEEP_ARCHIVE'] as const;

/**
 * The archive status from HeadObject's StorageClass (absent for STANDARD) and Restore headers:
 * `ongoing-request="true"` while thawing, `ongoing-request="false", expiry-date="..."` once readable.
 */
export function archiveStatusOf(storageClass: string | undefined, restore: string | undefined): ArchiveStatus {
  const tier = storageClass || 'STANDARD';
  const archived = (S3_ARCHIVE_TIERS as readonly string[]).includes(tier);
  const ongoing = restore ? /ongoing-request\s*=\s*"?true"?/i.test(restore) : false;
  const done = restore ? /ongoing-request\s*=\s*"?false"?/i.test(restore) : false;
  const expiry = restore ? /expiry-date\s*=\s*"([^"]+)"/i.exec(restore)?.[1] : undefined;
  const until = expiry ? Date.parse(expiry) : Number.NaN;
  return {
    tier,
    cold: archived && !done,
    restoring: archived && ongoing,
    ...(done && !Number.isNaN(until) ? { restoredUntil: until } : {}),
  };
}

/** RestoreObject's GlacierJobParameters.Tier (DEEP_ARCHIVE has no Expedited: S3 refuses it). */
export function restoreTierOf(priority: RestorePriority): 'Bulk' | 'Standard' | 'Expedited' {
  return priority === 'bulk' ? 'Bulk' : priority === 'expedited' ? 'Expedited' : 'Standard';
}
