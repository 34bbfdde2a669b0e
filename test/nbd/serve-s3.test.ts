// `snaptier serve` from an S3 repository (s3rver, a real HTTP server): a 96 MiB (or 200 MiB) snapshot copied
// bit-exact by nbdcopy, compared equal by qemu-img, with reads fetching only pack ranges.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File } from '../helpers/images.js';
import { useRepoOnServer } from '../helpers/repo-on-server.js';
import { longOr } from '../helpers/long.js';
import { ok, serve } from './serve-helpers.js';

const MiB = 1 << 20;
// Past the 64 MiB a server holds in memory by default, and three times the 32 MiB cache the first
// test gives it: the cache must evict to serve the whole snapshot, and the second test's 4 MiB
// cache spills to disk. (200 MiB under SNAPTIER_LONG=1.)
const SIZE = longOr(96, 200) * MiB;

const r = useRepoOnServer({ server: 's3rver', volume: 'vm2', size: SIZE, seed: 23 });
/** Segments the first test fetched from the store (each data segment once, with a large cache). */
let fetchedOnce = 0;

describe('serve from S3', () => {
  it('copies a 96 MiB (or 200 MiB) snapshot bit-exact with nbdcopy and compares equal with qemu-img', async () => {
    const s = await serve(
      ['--repo', r.repo, '--volume', 'vm2', '--snapshot', 'latest', '--cache-mib', '32'],
      join(r.dir, 'nbd.sock'),
      r.env,
    );
    let summary: any;
    try {
      const info = JSON.parse(await ok('nbdinfo', ['--json', s.uri]));
      expect(info.exports[0]['export-size']).toBe(SIZE);
      const copy = join(r.dir, 'copy');
      await ok('nbdcopy', [s.uri, copy]);
      expect(await sha256File(copy)).toBe(await sha256File(r.image));
      await ok('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', r.image, s.uri]);
    } finally {
      const stopped = await s.stop();
      expect(stopped.code, stopped.stderr).toBe(0);
      summary = stopped.summary;
    }
    expect(summary.served.errors).toBe(0);
    expect(summary.cache.cachedBytes).toBeLessThanOrEqual(32 * MiB);
    fetchedOnce = summary.cache.segmentsFetched;
    // Ranged GETs of large batches, not one request per NBD read.
    expect(summary.requests).toBeLessThan(summary.served.reads);
  }, 300_000);

  it('with a small memory cache and a disk cache, a second copy is served from disk, proven again, not fetched again', async () => {
    const cacheFile = join(r.dir, 'disk-cache');
    const s = await serve(
      ['--repo', r.repo, '--volume', 'vm2', '--snapshot', 'latest', '--cache-mib', '4', '--disk-cache', cacheFile],
      join(r.dir, 'nbd2.sock'),
      r.env,
    );
    let summary: any;
    try {
      for (const pass of [1, 2]) {
        const copy = join(r.dir, `copy-${pass}`);
        await ok('nbdcopy', [s.uri, copy]);
        expect(await sha256File(copy), `pass ${pass}`).toBe(await sha256File(r.image));
        await rm(copy);
      }
    } finally {
      const stopped = await s.stop();
      expect(stopped.code, stopped.stderr).toBe(0);
      summary = stopped.summary;
    }
    expect(summary.cache.cachedBytes).toBeLessThanOrEqual(4 * MiB);
    expect(summary.cache.spillHits).toBeGreaterThan(fetchedOnce / 2);
    expect(summary.cache.segmentsFetched).toBeLessThanOrEqual(fetchedOnce);
    await expect(stat(cacheFile), 'the disk cache is removed on exit').rejects.toThrow();
  }, 300_000);
});
