// The real CLI against real object-store servers behind a fault-injecting proxy: a seeded 10% of
// requests answered 503 (SlowDown / ServerBusy) and 3% cut in the middle of the response. Every
// command still exits 0, restores are bit-exact, the `retries` figures of --json show the retry
// wrapper at work, and the proxy proves the faults really happened. Each process must also exit
// on its own once the command is done: a socket left open would show as a run that never ends.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { type RunResult, run, tempDir } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';

const MiB = 1024 * 1024;
const FAULTS = { throttle: 0.1, cut: 0.03 };
/** A command that has not exited by then hangs (the retry budget is 5 minutes per request). */
const COMMAND_TIMEOUT_MS = 90_000;

let tmp: { path: string; cleanup: () => Promise<void> };
let first: string;
let second: string;

beforeAll(async () => {
  tmp = await tempDir('snaptier-faults-');
  // 10 MiB of zeros, random data and text, then a second version with scattered, contiguous and
  // zeroed changes: packs of 1 MiB (init --pack-size 1) make a dozen data objects and as many
  // ranged reads on restore, so there are enough requests for the faults to land on every kind.
  first = join(tmp.path, 'image-1');
  second = join(tmp.path, 'image-2');
  await writeImage(first, 10 * MiB + 1234, 41);
  await copyFile(first, second);
  const rng = new Rng(42);
  for (const m of ['scattered', 'contiguous', 'zero', 'scattered'] as const) await mutate(second, m, rng);
});
afterAll(async () => {
  await tmp?.cleanup();
});

interface Backend {
  url: string;
  env: Record<string, string>;
}

/** Runs one command with --json; fails the test with its stderr unless it exits 0 in time. */
async function cli(args: string[], env: Record<string, string>): Promise<any> {
  const started = Date.now();
  const r = await Promise.race([
    run([...args, '--json'], env),
    new Promise<RunResult>((_, reject) =>
      setTimeout(() => reject(new Error(`snaptier ${args[0]} did not exit within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS).unref(),
    ),
  ]);
  const ctx = `snaptier ${args.join(' ')}: exit ${r.code} after ${Date.now() - started} ms\nstderr: ${r.stderr}`;
  expect(r.code, ctx).toBe(0);
  expect(r.stdout, ctx).toMatch(/^[^\n]+\n$/);
  return JSON.parse(r.stdout);
}

/**
 * init, a full backup, an incremental one, a restore of each, check --read-data: all through
 * `backend`; returns the sum of the `retries` figures of the commands that report them.
 */
async function lifecycle(backend: Backend, work: string): Promise<{ retries: number; requests: number }> {
  const { url, env } = backend;
  let retries = 0;
  let requests = 0;
  const add = (doc: { retries?: number; requests?: number }): void => {
    expect(doc.retries, 'every command that talks to the store reports retries').toEqual(expect.any(Number));
    retries += doc.retries ?? 0;
    requests += doc.requests ?? 0;
  };
  await cli(['init', '--repo', url, '--pack-size', '1'], env);
  const full = await cli(['backup', '--repo', url, '--volume', 'vm1', '--source', first], env);
  add(full);
  expect(full.parent).toBeNull();
  const incr = await cli(['backup', '--repo', url, '--volume', 'vm1', '--source', second, '--previous-source', first], env);
  add(incr);
  expect(incr.parent).toBe(full.snapshot);
  for (const [snap, image] of [
    [full.snapshot as string, first],
    [incr.snapshot as string, second],
  ] as const) {
    const target = join(work, `restore-${snap}`);
    const r = await cli(['restore', '--repo', url, '--volume', 'vm1', '--snapshot', snap, '--target', target], env);
    add(r);
    expect(await sha256File(target), `restore of ${snap}`).toBe(await sha256File(image));
  }
  const check = await cli(['check', '--repo', url, '--read-data'], env);
  add(check);
  expect(check).toMatchObject({ ok: true, errors: [], snapshots: 2 });
  return { retries, requests };
}

function expectFaultsRiddenOut(proxy: FaultProxy, figures: { retries: number; requests: number }): void {
  const ctx = `proxy ${JSON.stringify(proxy.stats)}, CLI ${JSON.stringify(figures)}`;
  console.log(ctx);
  expect(proxy.stats.throttled, ctx).toBeGreaterThan(0);
  expect(proxy.stats.cut, ctx).toBeGreaterThan(0);
  expect(figures.retries, ctx).toBeGreaterThan(0);
}

describe('CLI through a faulty network to s3rver', () => {
  let server: S3rverHandle;
  let proxy: FaultProxy;
  const bucket = uniqueBucket('faults');
  beforeAll(async () => {
    server = await startS3rver();
    proxy = await startFaultProxy({ upstream: server.endpoint, seed: 7, ...FAULTS });
  });
  afterAll(async () => {
    await proxy?.close();
    if (server) {
      const client = rawClient(server);
      await removeBucket(client, bucket).catch(() => {});
      client.destroy();
    }
    await server?.stop();
  });

  it('exits 0 on every command, restores bit-exact and reports the retries it made', async () => {
    // s3rver ignores If-None-Match (atomic-create=false); the bucket is created by init.
    const url = `s3://${bucket}/repo?endpoint=${encodeURIComponent(proxy.endpoint)}&path-style=true&atomic-create=false`;
    const env = { AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
    const work = join(tmp.path, 's3');
    await mkdir(work);
    const figures = await lifecycle({ url, env }, work);
    expectFaultsRiddenOut(proxy, figures);
  });
});

describe('CLI through a faulty network to Azurite', () => {
  let azurite: Azurite;
  let proxy: FaultProxy;
  beforeAll(async () => {
    azurite = await startAzurite();
    proxy = await startFaultProxy({ upstream: azurite.endpoint.replace(/\/devstoreaccount1$/, ''), seed: 8, ...FAULTS });
  });
  afterAll(async () => {
    await proxy?.close();
    await azurite?.stop();
  });

  it('exits 0 on every command, restores bit-exact and reports the retries it made', async () => {
    const endpoint = `${proxy.endpoint}/${azurite.account}`;
    const url = `azure://faults/repo?account=${azurite.account}&endpoint=${encodeURIComponent(endpoint)}`;
    const env = { AZURE_STORAGE_KEY: azurite.key };
    const work = join(tmp.path, 'azure');
    await mkdir(work);
    const figures = await lifecycle({ url, env }, work);
    expectFaultsRiddenOut(proxy, figures);
  });
});
