// The pool of CPU workers for one repository operation.
import type { RepoContext } from '../context.js';
import type { CpuJob, CpuResult } from './messages.js';
import { WorkerPool, compiledScript } from './pool.js';

export type CpuPool = WorkerPool<CpuJob, CpuResult>;

export function cpuPool(ctx: RepoContext): CpuPool | null {
  return WorkerPool.create<CpuJob, CpuResult>(compiledScript(import.meta.url, './cpu-worker'), {
    geometry: ctx.geometry,
    key: ctx.aeadKey,
    codec: ctx.sealer.codec,
  });
}
