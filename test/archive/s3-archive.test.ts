// Archive tiers through the real CLI against s3rver behind a proxy that emulates S3 GLACIER
// (glacier-proxy.ts: InvalidObjectState, RestoreObject 202/409/200, x-amz-restore) with a clock
// the test moves. `tier` archives data packs only; `restore --plan-only` names exactly the cold
// packs a restore reads; a snapshot that needs none restores at once; without --rehydrate a
// restore that needs some is refused (exit 2) before anything is written; with it, a kill during
// the wait and a rerun send no second restore request, and the restore is bit-exact after the thaw.
import type { ChildProcess } from 'node:child_process';
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, start, tempDir } from '../helpers/cli.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';
import { type GlacierProxy, startGlacierProxy } from './glacier-proxy.js';
import { RehydrationNeededError } from '../../src/repo/cold-restore.js';
import { Repository } from '../../src/repo/repository.js';
import { drill } from '../../src/service/drill.js';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { wrapStore } from '../../src/store/wrap/compose.js';

const MiB = 1024 * 1024;
const children: ChildProcess[] = [];
const track = <T extends { child: ChildProcess }>(p: T): T => {
  children.push(p.child);
  return p;
};
const HOUR = 3_600_000;

let server: S3rverHandle;
let proxy: GlacierProxy;
let tmp: { path: string; cleanup: () => Promise<void> };
const bucket = uniqueBucket('archive');
let env: Record<string, string>;
let url: string;
const img = (n: string) => join(tmp.path, n);
const repoKey = (k: string) => `repo/${k}`;
const totalRestoreRequests = () => [...proxy.log.restoreRequests.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  tmp = await tempDir('snaptier-archive-');
  // The server starts while the images are written.
  const images = async (): Promise<void> => {
    await writeImage(img('db-1'), 16 * MiB + 321, 71);
    await copyFile(img('db-1'), img('db-2'));
    await mutate(img('db-2'), 'contiguous', new Rng(72));
    await writeImage(img('fresh'), 2 * MiB + 5, 73);
  };
  [server] = await Promise.all([startS3rver(), images()]);
  proxy = await startGlacierProxy(server.endpoint);
  env = { AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
  url = `s3://${bucket}/repo?endpoint=${encodeURIComponent(proxy.endpoint)}&path-style=true&atomic-create=false`;
}, 60_000);

afterAll(async () => {
  // A failed test may leave a restore waiting for a thaw: end it.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await proxy?.close();
  if (server) {
    const client = rawClient(server);
    await removeBucket(client, bucket).catch(() => {});
    client.destroy();
  }
  await server?.stop();
  await tmp?.cleanup();
});

describe('archive tiers on S3 (emulated GLACIER)', () => {
  let a: string;
  let b: string;
  let c: string;
  let archived: string[];

  it('tier moves data packs older than N days to GLACIER, and nothing else', async () => {
    await runJson(['init', '--repo', url, '--pack-size', '1'], env);
    a = (await runJson(['backup', '--repo', url, '--volume', 'db', '--source', img('db-1')], env)).snapshot;
    const young = await runJson(['tier', '--repo', url, '--older-than', '30', '--class', 'GLACIER'], env);
    expect(young.moved).toBe(0);
    expect(young.tooYoung).toBeGreaterThan(2);
    const dry = await runJson(['tier', '--repo', url, '--older-than', '0', '--class', 'GLACIER', '--dry-run'], env);
    expect(dry.moved).toBe(0);
    expect(dry.packs).toBe(young.tooYoung);
    expect(dry.keys.every((k: string) => proxy.classOf(repoKey(k)) === 'STANDARD')).toBe(true);
    const moved = await runJson(['tier', '--repo', url, '--older-than', '0', '--class', 'GLACIER'], env);
    expect(moved.moved).toBe(dry.packs);
    archived = moved.keys;
    expect(archived.every((k) => k.startsWith('data/') && proxy.classOf(repoKey(k)) === 'GLACIER')).toBe(true);
    // Config, map packs and manifests stay readable at once.
    const client = rawClient(server);
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'repo/', ContinuationToken: token }));
      for (const o of page.Contents ?? []) listed.push(o.Key!);
      token = page.NextContinuationToken;
    } while (token);
    client.destroy();
    const others = listed.filter((k) => !k.startsWith('repo/data/'));
    expect(others.some((k) => k === 'repo/config')).toBe(true);
    expect(others.some((k) => k.startsWith('repo/tree/'))).toBe(true);
    expect(others.some((k) => k.startsWith('repo/snapshots/'))).toBe(true);
    expect(others.every((k) => proxy.classOf(k) === 'STANDARD')).toBe(true);
    // Run again: everything is there already.
    const again = await runJson(['tier', '--repo', url, '--older-than', '0', '--class', 'GLACIER'], env);
    expect(again.moved).toBe(0);
    expect(again.alreadyThere).toBe(archived.length);
    b = (await runJson(['backup', '--repo', url, '--volume', 'db', '--source', img('db-2')], env)).snapshot;
    c = (await runJson(['backup', '--repo', url, '--volume', 'fresh', '--source', img('fresh')], env)).snapshot;
    expect(totalRestoreRequests()).toBe(0);
  }, 120_000);

  it('restores at once a snapshot that needs no cold pack, and its plan says so', async () => {
    const plan = await runJson(['restore', '--repo', url, '--volume', 'fresh', '--snapshot', c, '--plan-only'], env);
    expect(plan.cold).toBe(0);
    expect(plan.packs).toBeGreaterThan(0);
    const out = await runJson(['restore', '--repo', url, '--volume', 'fresh', '--snapshot', c, '--target', img('fresh.out')], env);
    expect(out.rehydration).toBeNull();
    expect(await sha256File(img('fresh.out'))).toBe(await sha256File(img('fresh')));
    expect(totalRestoreRequests()).toBe(0);
  }, 60_000);

  it('refuses, exit 2, a restore that needs cold packs without --rehydrate, writing nothing', async () => {
    const plan = await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--plan-only'], env);
    const r = await run(['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--target', img('refused.out')], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`needs ${plan.cold} of its ${plan.packs} data packs`);
    expect(r.stderr).toContain('--rehydrate');
    await expect(stat(img('refused.out'))).rejects.toThrow();
    expect(totalRestoreRequests()).toBe(0);
    expect(proxy.log.answers.get403).toBe(0);
  }, 60_000);

  it('serve (NBD) refuses a snapshot that needs cold packs before it listens, naming the count and the flag', async () => {
    const plan = await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--plan-only'], env);
    const r = await run(['serve', '--repo', url, '--volume', 'db', '--snapshot', b, '--listen', '127.0.0.1:0'], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`needs ${plan.cold} of its ${plan.packs} data packs`);
    expect(r.stderr).toContain('--rehydrate');
    expect(r.stderr).not.toContain('serving');
    expect(totalRestoreRequests()).toBe(0);
  }, 60_000);

  it('check --read-data reads no cold pack and says which it skipped', async () => {
    const r = await runJson(['check', '--repo', url, '--read-data'], env);
    expect(r.ok).toBe(true);
    expect(r.warnings.join('\n')).toContain(`${archived.length} packs are in an archive tier`);
    expect(proxy.log.answers.get403).toBe(0);
  }, 60_000);

  it('plans a byte range: only the packs that range reads', async () => {
    const whole = await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', a, '--plan-only'], env);
    expect(new Set(whole.coldPacks.map((p: { key: string }) => p.key))).toEqual(new Set(archived));
    // Four quarters of the volume: each plans fewer packs than the whole, together all of them.
    const size = (await stat(img('db-1'))).size;
    const quarter = Math.ceil(size / 4);
    const union = new Set<string>();
    for (let off = 0; off < size; off += quarter) {
      const len = Math.min(quarter, size - off);
      const part = await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', a, '--plan-only', '--offset', String(off), '--length', String(len)], env);
      expect(part.cold).toBeLessThan(whole.cold);
      for (const p of part.coldPacks) union.add(p.key);
    }
    expect(union).toEqual(new Set(archived));
    expect(whole.estimate.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(whole.estimate.usd).toBeGreaterThan(0);
  }, 60_000);

  it('rehydrates what the plan names, survives a kill during the wait without asking twice, and restores bit-exact', async () => {
    const plan = await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--plan-only'], env);
    const cold: string[] = plan.coldPacks.map((p: { key: string }) => p.key);
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.length).toBeLessThanOrEqual(archived.length);
    const args = ['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--target', img('db-2.out'), '--rehydrate', '--rehydrate-poll', '0.05', '--json'];

    // First run: requests every cold pack once, then polls; killed while it waits.
    const first = track(start(args, env));
    const heads0 = proxy.log.heads;
    await proxy.until((l) => totalRestoreRequests() >= cold.length && l.heads >= heads0 + 3 * cold.length);
    first.child.kill('SIGKILL');
    await first.ended;
    expect(new Set(proxy.log.restoreRequests.keys())).toEqual(new Set(cold.map(repoKey)));
    expect(proxy.log.answers.restore202).toBe(cold.length);

    // Second run: finds every restore running (x-amz-restore ongoing), requests none, waits.
    const heads1 = proxy.log.heads;
    const second = track(start(args, env));
    // Its plan HEADs each cold pack, then a poll round HEADs each again: any request would be sent by then.
    await proxy.until((l) => l.heads >= heads1 + 3 * cold.length);
    expect(totalRestoreRequests()).toBe(cold.length);
    const getsBefore = proxy.log.gets.length;
    proxy.advance(6 * HOUR); // GLACIER Standard: done within 5 hours
    const done = await second.ended;
    expect(done.code, done.stderr).toBe(0);
    const report = JSON.parse(done.stdout);
    expect(report.rehydration.requested).toBe(0);
    expect(report.rehydration.inProgress).toBe(cold.length);
    expect(await sha256File(img('db-2.out'))).toBe(await sha256File(img('db-2')));
    // Each pack asked for exactly once, across both runs; never a 409.
    for (const k of cold) expect(proxy.log.restoreRequests.get(repoKey(k))).toBe(1);
    expect(proxy.log.answers.restore409).toBe(0);
    // The plan was exact: the archived packs the restore read are the ones it named.
    const readArchived = new Set(proxy.log.gets.slice(getsBefore).filter((k) => archived.some((x) => repoKey(x) === k)));
    expect(readArchived).toEqual(new Set(cold.map(repoKey)));
    // Now readable (restored copies): a plan finds nothing cold.
    const after = await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--plan-only'], env);
    expect(after.cold).toBe(0);
    expect(after.restored).toBe(cold.length);

    // check --read-data reads the thawed copies (still GLACIER in a listing) and skips the rest.
    const getsBeforeCheck = proxy.log.gets.length;
    const checked = await runJson(['check', '--repo', url, '--read-data'], env);
    expect(checked.ok).toBe(true);
    const stillCold = archived.length - cold.length;
    const warned = checked.warnings.join('\n');
    if (stillCold > 0) expect(warned).toContain(`${stillCold} packs are in an archive tier`);
    else expect(warned).not.toContain('packs are in an archive tier');
    const readByCheck = new Set(proxy.log.gets.slice(getsBeforeCheck).filter((k) => archived.some((x) => repoKey(x) === k)));
    expect(readByCheck).toEqual(new Set(cold.map(repoKey)));
    expect(proxy.log.answers.get403).toBe(0);
  }, 120_000);

  it('prune deletes dead cold packs but never repacks a cold one unless asked', async () => {
    await runJson(['forget', '--repo', url, '--volume', 'db', '--keep-last', '1'], env);
    // Map packs are online and may be repacked; cold data packs only with --repack-cold.
    const asked = await runJson(['prune', '--repo', url, '--grace', '0', '--repack-below', '100', '--repack-cold', '--dry-run'], env);
    const plain = await runJson(['prune', '--repo', url, '--grace', '0', '--repack-below', '100', '--dry-run'], env);
    expect(asked.packsRepacked).toBeGreaterThan(plain.packsRepacked);
    const getsBefore = proxy.log.gets.length;
    const p = await runJson(['prune', '--repo', url, '--grace', '0', '--repack-below', '100'], env);
    expect(p.packsRepacked).toBe(plain.packsRepacked);
    expect(p.packsDeleted).toBeGreaterThan(0);
    const isArchived = (k: string) => archived.some((x) => repoKey(x) === k);
    expect(proxy.log.gets.slice(getsBefore).filter(isArchived)).toEqual([]);
    expect(proxy.log.answers.get403).toBe(0);
    // What B needs is still there (restored copies): it restores bit-exact.
    await runJson(['restore', '--repo', url, '--volume', 'db', '--snapshot', b, '--target', img('db-2.again')], env);
    expect(await sha256File(img('db-2.again'))).toBe(await sha256File(img('db-2')));
  }, 120_000);

  it('the daemon drill fails naming the cold packs, and with rehydrate set thaws them and proves the restore', async () => {
    // A volume of its own, archived like the rest (the packs of earlier tests already in GLACIER stay as they are).
    await writeImage(img('drillvol'), 3 * MiB + 9, 74);
    await runJson(['backup', '--repo', url, '--volume', 'drillvol', '--source', img('drillvol')], env);
    await runJson(['tier', '--repo', url, '--older-than', '0', '--class', 'GLACIER'], env);
    const before = totalRestoreRequests();
    const store = wrapStore(new S3Store(url, { credentials: server.credentials })).store;
    const repo = await Repository.open(store, async () => 'test-password');
    const scratch = img('drill');
    const refused = await drill(repo, { volume: 'drillvol', scratch, jobId: 'j1', signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RehydrationNeededError);
    expect((refused as Error).message).toContain('--rehydrate');
    expect(totalRestoreRequests()).toBe(before);
    // With rehydrate: requests, then waits; the clock moves once every pack is asked for.
    const running = drill(repo, { volume: 'drillvol', scratch, jobId: 'j2', signal: new AbortController().signal, rehydrate: 'bulk', rehydratePollMs: 20 });
    const cold = (refused as RehydrationNeededError).plan.cold.length;
    await proxy.until(() => totalRestoreRequests() >= before + cold);
    proxy.advance(13 * HOUR); // GLACIER Bulk: within 12 hours
    const doc = await running;
    expect(doc).toMatchObject({ proven: true, rehydrated: cold });
    expect(totalRestoreRequests()).toBe(before + cold);
    await store.close?.();
  }, 60_000);
});
