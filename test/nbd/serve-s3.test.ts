// `snaptier serve` from an S3 repository (s3rver, a real HTTP server): a 200 MiB snapshot copied
// bit-exact by nbdcopy, compared equal by qemu-img, with reads fetching only pack ranges.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/cli.js';
import { sha256File, writeImage } from '../helpers/images.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';
import { ok, serve } from './serve-helpers.js';

const MiB = 1 << 20;
const SIZE = 200 * MiB;

let tmp: { path: string; cleanup: () => Promise<void> };
let s3: S3rverHandle;
let env: Record<string, string>;
let repo: string;
let image: string;
/** Segments the first test fetched from the store (each data segment once, with a large cache). */
let fetchedOnce = 0;
const bucket = uniqueBucket('serve');

async function cli(args: string[]): Promise<any> {
  const r = await run([...args, '--json'], env);
  expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  tmp = await tempDir('snaptier-serve-s3-');
  s3 = await startS3rver();
  env = { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
  repo = `s3://${bucket}/repo?endpoint=${encodeURIComponent(s3.endpoint)}&path-style=true&atomic-create=false`;
  image = join(tmp.path, 'image');
  await cli(['init', '--repo', repo]);
  await writeImage(image, SIZE, 23);
  await cli(['backup', '--repo', repo, '--volume', 'vm2', '--source', image]);
}, 300_000);

afterAll(async () => {
  if (s3) {
    const client = rawClient(s3);
    await removeBucket(client, bucket).catch(() => {});
    client.destroy();
    await s3.stop();
  }
  await tmp?.cleanup();
});

describe('serve from S3', () => {
  it('copies a 200 MiB snapshot bit-exact with nbdcopy and compares equal with qemu-img', async () => {
    const s = await serve(
      ['--repo', repo, '--volume', 'vm2', '--snapshot', 'latest', '--cache-mib', '32'],
      join(tmp.path, 'nbd.sock'),
      env,
    );
    let summary: any;
    try {
      const info = JSON.parse(await ok('nbdinfo', ['--json', s.uri]));
      expect(info.exports[0]['export-size']).toBe(SIZE);
      const copy = join(tmp.path, 'copy');
      await ok('nbdcopy', [s.uri, copy]);
      expect(await sha256File(copy)).toBe(await sha256File(image));
      await ok('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', image, s.uri]);
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
    const cacheFile = join(tmp.path, 'disk-cache');
    const s = await serve(
      ['--repo', repo, '--volume', 'vm2', '--snapshot', 'latest', '--cache-mib', '4', '--disk-cache', cacheFile],
      join(tmp.path, 'nbd2.sock'),
      env,
    );
    let summary: any;
    try {
      for (const pass of [1, 2]) {
        const copy = join(tmp.path, `copy-${pass}`);
        await ok('nbdcopy', [s.uri, copy]);
        expect(await sha256File(copy), `pass ${pass}`).toBe(await sha256File(image));
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
