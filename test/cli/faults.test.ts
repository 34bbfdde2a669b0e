// The real CLI against real object-store servers behind a fault-injecting proxy: a seeded 10% of
// requests answered 503 (SlowDown / ServerBusy) and 3% cut in the middle of the response. Every
// command still exits 0, restores are bit-exact, the `retries` figures of --json show the retry
// wrapper at work, and the proxy proves the faults really happened. Each process must also end as
// soon as it has said its last word: a socket or timer left open would keep it alive after that.
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { BIN, type RunResult, tempDir } from '../helpers/cli.js';
import type { IncomingMessage } from 'node:http';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';

const MiB = 1024 * 1024;
const FAULTS = { throttle: 0.1, cut: 0.03 };
// A command releases its lease after it has printed its figures, so faults there could
// not be in its `retries`; the lease objects' own retries are tested in test/repo/lease.test.ts.
// Lease objects, and the listing of a lease's versions that its release makes on Azure (the prefix
// is URL-encoded there: prefix=repo%2Flocks%2F<id>).
const LOCK_OBJECTS = (req: IncomingMessage) => /\/locks\/|prefix=[^&]*locks%2F/.test(req.url ?? '');
/** A command that has not exited by then hangs (the retry budget is 5 minutes per request). */
const COMMAND_TIMEOUT_MS = 90_000;
/**
 * Most time allowed between a command's last output and the end of its process: closing the
 * stores and exiting take milliseconds, while a pooled socket that held the process open would
 * hold it until the server drops idle connections (5 s for s3rver and Azurite).
 */
const EXIT_LAG_MS = 3_000;

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

interface Timed extends RunResult {
  /** Milliseconds from the last byte on stdout or stderr to the exit of the process. */
  exitLagMs: number;
}

/** Runs bin/snaptier as cli.ts's `run` does, and times how long the process lives after its last output. */
function runTimed(args: string[], env: Record<string, string>): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SNAPTIER_PASSWORD: 'test-password', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastOutput = Date.now();
    let exitedAt = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
      lastOutput = Date.now();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      lastOutput = Date.now();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`snaptier ${args.join(' ')} did not exit within ${COMMAND_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, COMMAND_TIMEOUT_MS);
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, exitLagMs: Math.max(0, exitedAt - lastOutput) });
    });
  });
}

/** Runs one command with --json; fails the test with its stderr unless it exits 0 at once when done. */
async function cli(args: string[], env: Record<string, string>): Promise<any> {
  const started = Date.now();
  const r = await runTimed([...args, '--json'], env);
  const ctx = `snaptier ${args.join(' ')}: exit ${r.code} after ${Date.now() - started} ms, ${r.exitLagMs} ms after its output\nstderr: ${r.stderr}`;
  expect(r.code, ctx).toBe(0);
  expect(r.stdout, ctx).toMatch(/^[^\n]+\n$/);
  expect(r.exitLagMs, ctx).toBeLessThan(EXIT_LAG_MS);
  return JSON.parse(r.stdout);
}

/** A command that fails (no such snapshot) also ends at once, its stores closed on the error path. */
async function expectPromptFailure(backend: Backend): Promise<void> {
  const r = await runTimed(
    ['restore', '--repo', backend.url, '--volume', 'vm1', '--snapshot', 'ffffffff', '--target', join(tmp.path, 'never')],
    backend.env,
  );
  const ctx = `exit ${r.code}, ${r.exitLagMs} ms after its output; stderr: ${r.stderr}`;
  expect(r.code, ctx).toBe(2);
  expect(r.stderr, ctx).toMatch(/ffffffff/);
  expect(r.exitLagMs, ctx).toBeLessThan(EXIT_LAG_MS);
}

interface Figures {
  /** Sums of the `retries` and `requests` figures of every command after init. */
  retries: number;
  requests: number;
  /** Faults the proxy injected into those commands (init reports no figures). */
  faults: number;
}

/**
 * init, a full backup, an incremental one, a restore of each, check --read-data: all through
 * `backend`, behind `proxy`.
 */
async function lifecycle(backend: Backend, proxy: FaultProxy, work: string): Promise<Figures> {
  const { url, env } = backend;
  let retries = 0;
  let requests = 0;
  const add = (doc: { retries?: number; requests?: number }): void => {
    expect(doc.retries, 'every command that talks to the store reports retries').toEqual(expect.any(Number));
    retries += doc.retries ?? 0;
    requests += doc.requests ?? 0;
  };
  await cli(['init', '--repo', url, '--pack-size', '1'], env);
  const faultsBefore = proxy.stats.throttled + proxy.stats.cut;
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
  return { retries, requests, faults: proxy.stats.throttled + proxy.stats.cut - faultsBefore };
}

function expectFaultsRiddenOut(proxy: FaultProxy, figures: Figures): void {
  const ctx = `proxy ${JSON.stringify(proxy.stats)}, CLI ${JSON.stringify(figures)}`;
  expect(proxy.stats.throttled, ctx).toBeGreaterThan(0);
  expect(proxy.stats.cut, ctx).toBeGreaterThan(0);
  expect(figures.retries, ctx).toBeGreaterThan(0);
  // Every injected fault failed one request and was retried once, and counted: by the retry
  // wrapper, or as a resend inside the S3 SDK (its one quick resend, reported by the adapter).
  // More retries are fine: the proxy's own connections to the server may meet a keep-alive race.
  expect(figures.retries, ctx).toBeGreaterThanOrEqual(figures.faults);
}

describe('CLI through a faulty network to s3rver', () => {
  let server: S3rverHandle;
  let proxy: FaultProxy;
  const bucket = uniqueBucket('faults');
  beforeAll(async () => {
    server = await startS3rver();
    proxy = await startFaultProxy({ upstream: server.endpoint, seed: 8, spare: LOCK_OBJECTS, ...FAULTS });
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

  it('exits 0 on every command, at once when done, restores bit-exact and reports every retry', async () => {
    // s3rver ignores If-None-Match (atomic-create=false); the bucket is created by init.
    const url = `s3://${bucket}/repo?endpoint=${encodeURIComponent(proxy.endpoint)}&path-style=true&atomic-create=false`;
    const env = {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const work = join(tmp.path, 's3');
    await mkdir(work);
    const figures = await lifecycle({ url, env }, proxy, work);
    expectFaultsRiddenOut(proxy, figures);
    await expectPromptFailure({ url, env });
  });

  it('puts data packs in the --data-tier of init, and takes an archive tier with a warning about rehydration', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const url = (prefix: string) => `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(server.endpoint)}&atomic-create=false`;
    const archived = await runTimed(['init', '--repo', url('glacier'), '--data-tier', 'GLACIER'], env);
    expect(archived.code, archived.stderr).toBe(0);
    expect(archived.stderr).toMatch(/GLACIER.*--rehydrate/);
    const init = await cli(['init', '--repo', url('tiered'), '--data-tier', 'STANDARD_IA'], env);
    expect(init.dataTier).toBe('STANDARD_IA');
    await cli(['backup', '--repo', url('tiered'), '--volume', 'vm1', '--source', first], env);
    const client = rawClient(server);
    try {
      const listed = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'tiered/' }));
      const keys = (listed.Contents ?? []).map((o) => o.Key!);
      const classOf = async (key: string) => (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).StorageClass ?? 'STANDARD';
      const data = keys.filter((k) => k.startsWith('tiered/data/'));
      const hot = keys.filter((k) => !k.startsWith('tiered/data/'));
      expect(data.length).toBeGreaterThan(0);
      expect(hot.length).toBeGreaterThan(2); // config, a tree pack, a manifest
      for (const k of data) expect(await classOf(k), k).toBe('STANDARD_IA');
      for (const k of hot) expect(await classOf(k), k).toBe('STANDARD');
    } finally {
      client.destroy();
    }
  });
});

describe('CLI through a faulty network to Azurite', () => {
  let azurite: Azurite;
  let proxy: FaultProxy;
  beforeAll(async () => {
    azurite = await startAzurite();
    proxy = await startFaultProxy({ upstream: azurite.endpoint.replace(/\/devstoreaccount1$/, ''), seed: 22, spare: LOCK_OBJECTS, ...FAULTS });
  });
  afterAll(async () => {
    await proxy?.close();
    await azurite?.stop();
  });

  it('exits 0 on every command, at once when done, restores bit-exact and reports every retry', async () => {
    const endpoint = `${proxy.endpoint}/${azurite.account}`;
    const url = `azure://faults/repo?account=${azurite.account}&endpoint=${encodeURIComponent(endpoint)}`;
    const env = { AZURE_STORAGE_KEY: azurite.key };
    const work = join(tmp.path, 'azure');
    await mkdir(work);
    const figures = await lifecycle({ url, env }, proxy, work);
    expectFaultsRiddenOut(proxy, figures);
    await expectPromptFailure({ url, env });
  });
});
