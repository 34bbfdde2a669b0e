// The `drill` policy: a rehearsed recovery. The volume's latest snapshot is restored to a
// scratch file (the restore proves every byte against its fingerprints), the time it took is
// the recovery time, and the scratch copy is deleted whatever happened.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_PRICES } from '../repo/archive-prices.js';
import { snapshotId } from '../repo/catalog.js';
import { prepareColdRestore } from '../repo/cold-restore.js';
import { REHYDRATE_DAYS } from '../defaults.js';
import type { RestorePriority } from '../store/object-store.js';
import { restoreSnapshot } from '../repo/jobs.js';
import type { Repository } from '../repo/repository.js';

export interface DrillOptions {
  volume: string;
  scratch: string;
  jobId: string;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Rehydrate cold packs at this priority first (the wait counts in the recovery time); absent: fail naming them. */
  rehydrate?: RestorePriority;
  /** Test knob: the rehydrator's poll interval. */
  rehydratePollMs?: number;
}

export async function drill(repo: Repository, opts: DrillOptions): Promise<Record<string, unknown>> {
  await mkdir(opts.scratch, { recursive: true });
  const target = join(opts.scratch, `${opts.volume}-${opts.jobId}.img`);
  const t0 = process.hrtime.bigint();
  try {
    // Cold packs: refused with a RehydrationNeededError naming their count, or thawed first.
    const cold = await prepareColdRestore(repo, {
      volume: opts.volume,
      snapshot: 'latest',
      rehydrate: opts.rehydrate !== undefined,
      planOnly: false,
      priority: opts.rehydrate ?? 'standard',
      days: REHYDRATE_DAYS,
      prices: DEFAULT_PRICES,
      signal: opts.signal,
      ...(opts.rehydratePollMs !== undefined ? { firstPollMs: opts.rehydratePollMs, maxPollMs: opts.rehydratePollMs } : {}),
    });
    const r = await restoreSnapshot(repo, {
      volume: opts.volume,
      snapshot: 'latest',
      target,
      signal: opts.signal,
      ...(opts.onProgress ? { onProgress: (p) => opts.onProgress?.(p.bytesDone, p.bytesTotal) } : {}),
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { snapshot: snapshotId(r.manifest), volume: opts.volume, size: r.manifest.size, bytesWritten: r.bytesWritten, durationMs: r.durationMs, restoreSeconds: seconds, proven: true, rehydrated: cold.rehydration?.requested ?? 0 };
  } finally {
    await rm(target, { force: true });
  }
}
