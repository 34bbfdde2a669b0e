// The worker-thread paths of backup and restore, run from the sources under test (bundled by
// test/helpers/worker-bundle.ts, not dist/), on the memory store: each test proves that worker
// threads answered jobs, so a pool that quietly ran everything inline fails it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, Repository, backupVolume, checkRepository, restoreSnapshot } from '../../../src/index.js';
import { prestartCpuPool } from '../../../src/engine/workers/cpu-pool.js';
import { WorkerPool, warmWorkers, workerJobsDone } from '../../../src/engine/workers/pool.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { sharedSpansRead } from '../../../src/engine/restore.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';
import { useSourceWorker } from '../../helpers/worker-bundle.js';

describe('worker threads (forced, from the sources)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  const saved = { workers: process.env.SNAPTIER_WORKERS, script: process.env.SNAPTIER_WORKER_SCRIPT };

  beforeAll(async () => {
    dir = await tempDir('snaptier-workers-');
    await useSourceWorker();
    process.env.SNAPTIER_WORKERS = '2';
  });
  afterAll(async () => {
    for (const [name, value] of [['SNAPTIER_WORKERS', saved.workers], ['SNAPTIER_WORKER_SCRIPT', saved.script]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await dir.cleanup();
  });

  it.each([
    { encrypted: true, codec: Codec.Zstd, seed: 71 },
    { encrypted: false, codec: Codec.Lz4, seed: 72 },
  ])('seals on workers and restores on workers, bit-exact (encrypted $encrypted, codec $codec)', async ({ encrypted, codec, seed }) => {
    const rng = new Rng(seed);
    const repo = await Repository.init(new MemoryStore(), { password: encrypted ? 'pw' : null, compression: codec, kdfLog2N: 10, geometry: { segmentSize: 65536, fanout: 4 } });
    const image = join(dir.path, `image-${seed}`);
    const first = rng.bytes(3 * 65536 * 4 + 1234);
    await writeFile(image, first);
    let before = workerJobsDone();
    await backupVolume(repo, { volume: 'v', source: image });
    const second = Buffer.from(first);
    second.set(rng.bytes(70_000), 100_000);
    await writeFile(image, second);
    await backupVolume(repo, { volume: 'v', source: image });
    expect(workerJobsDone() - before, 'backup jobs answered by worker threads').toBeGreaterThan(0);

    before = workerJobsDone();
    for (const [snapshot, want] of [['latest', second]] as const) {
      const target = join(dir.path, `restore-${seed}`);
      await restoreSnapshot(repo, { volume: 'v', snapshot, target });
      expect((await readFile(target)).equals(want)).toBe(true);
    }
    expect(workerJobsDone() - before, 'restore jobs answered by worker threads').toBeGreaterThan(0);
    expect((await checkRepository(repo, { readData: true })).errors).toEqual([]);
  });

  it.each([
    { encrypted: true, seed: 74 },
    { encrypted: false, seed: 75 },
  ])('reads a span several batches share into shared memory, and restores bit-exact (encrypted $encrypted)', async ({ encrypted, seed }) => {
    // 24 MiB of random data is several restore batches; an incremental's small pack, used by
    // segments all over the volume, is then a span that every batch takes chunks from.
    const rng = new Rng(seed);
    const repo = await Repository.init(new LocalStore(join(dir.path, `shared-${seed}`)), { password: encrypted ? 'pw' : null, compression: Codec.Zstd, kdfLog2N: 10 });
    const image = join(dir.path, `image-shared-${seed}`);
    const data = Buffer.from(rng.bytes(24 << 20));
    await writeFile(image, data);
    await backupVolume(repo, { volume: 'v', source: image });
    for (let i = 0; i < 48; i++) data.fill(i + 1, i * (512 << 10), i * (512 << 10) + 8192); // compressible: zstd from shared memory
    await writeFile(image, data);
    await backupVolume(repo, { volume: 'v', source: image });
    const spans = sharedSpansRead();
    const target = join(dir.path, `restore-shared-${seed}`);
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(sharedSpansRead() - spans, 'spans read into shared memory').toBeGreaterThan(0);
  });

  it('a worker started ahead, before the key is known, is set up by its first message and restores bit-exact', async () => {
    const repo = await Repository.init(new MemoryStore(), { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, geometry: { segmentSize: 65536, fanout: 4 } });
    const image = join(dir.path, 'image-prestart');
    const data = new Rng(73).bytes(5 * 65536 + 99);
    await writeFile(image, data);
    await backupVolume(repo, { volume: 'v', source: image });
    // A pool of one: the restore's jobs can only go to the worker started ahead.
    process.env.SNAPTIER_WORKERS = '1';
    prestartCpuPool();
    expect(warmWorkers()).toBe(1);
    const target = join(dir.path, 'restore-prestart');
    const before = workerJobsDone();
    try {
      await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    } finally {
      process.env.SNAPTIER_WORKERS = '2';
    }
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(workerJobsDone() - before, 'restore jobs answered by worker threads').toBeGreaterThan(0);
    expect(warmWorkers(), 'the restore took the worker started ahead').toBe(0);
    // It was taken: a second prestart starts another, which a restore on this thread ends unused.
    delete process.env.SNAPTIER_WORKERS;
    try {
      prestartCpuPool();
      expect(warmWorkers()).toBe(1);
      await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target: `${target}-2` });
      expect(warmWorkers(), 'ended unused').toBe(0);
      expect((await readFile(`${target}-2`)).equals(data)).toBe(true);
    } finally {
      process.env.SNAPTIER_WORKERS = '2';
    }
  });

  it('fails, rather than running inline, when workers are asked for and no worker script exists', () => {
    expect(() => WorkerPool.create(null, {})).toThrow(/no worker script/);
  });
});
