// The CPU worker built from the TypeScript sources under test, for tests of the worker-thread
// paths: worker threads need JavaScript, and dist/ may be missing or older than the sources.
// esbuild bundles src/engine/workers/cpu-worker.ts (packages stay imports) into node_modules/
// .cache, where those imports resolve; SNAPTIER_WORKER_SCRIPT tells the pool to use it.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/** Bundles the worker (once per process) and points SNAPTIER_WORKER_SCRIPT at it. */
export async function useSourceWorker(): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', 'snaptier-test');
  await mkdir(dir, { recursive: true });
  // One file per process: test files run in parallel and must not write over each other's bundle.
  const out = join(dir, `cpu-worker-${process.pid}-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'src/engine/workers/cpu-worker.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  process.env.SNAPTIER_WORKER_SCRIPT = out;
  return out;
}
