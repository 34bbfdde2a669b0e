// The `drill` policy: a rehearsed recovery. The volume's latest snapshot is restored to a
// scratch file (the restore proves every byte against its fingerprints), the time it took is
// the recovery time, and the scratch copy is deleted whatever happened.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotId } from '../repo/catalog.js';
import { restoreSnapshot } from '../repo/jobs.js';
import type { Repository } from '../repo/repository.js';

export async function drill(repo: Repository, opts: { volume: string; scratch: string; jobId: string; signal: AbortSignal; onProgress?: (done: number, total: number) => void }): Promise<Record<string, unknown>> {
  await mkdir(opts.scratch, { recursive: true });
  const target = join(opts.scratch, `${opts.volume}-${opts.jobId}.img`);
  const t0 = process.hrtime.bigint();
  try {
    const r = await restoreSnapshot(repo, {
      volume: opts.volume,
      snapshot: 'latest',
      target,
      signal: opts.signal,
      ...(opts.onProgress ? { onProgress: (p) => opts.onProgress?.(p.bytesDone, p.bytesTotal) } : {}),
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { snapshot: snapshotId(r.manifest), volume: opts.volume, size: r.manifest.size, bytesWritten: r.bytesWritten, durationMs: r.durationMs, restoreSeconds: seconds, proven: true };
  } finally {
    await rm(target, { force: true });
  }
}
