// Immutability on Ceph RGW, the one test server with real, enforced S3 Object Lock: the store
// refuses to delete an immutable object (typed error, exit 4), forget and prune skip what is
// still immutable and report it, and the first prune after its immutability ends frees it for
// real (every version, not a delete marker); lock --extend renews what the snapshots need.
// Immutability of a few seconds (the test-only --lock-seconds).
// Skipped when Ceph is not installed and CEPH_S3_ENDPOINT is not set, like ceph.test.ts.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImmutableObjectError } from '../../src/store/object-store.js';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { CEPH_PACKAGES, type CephCluster, canStartCeph, startCeph } from '../helpers/ceph.js';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';
import { type S3Server, rawClient, uniqueBucket } from '../helpers/s3-bucket.js';

const external = process.env.CEPH_S3_ENDPOINT;
const canStart = canStartCeph();
/** Long enough for init, two backups and a forget to run inside it; short enough to wait out. */
const LOCK_SECONDS = 10;

/** Waits until the wall clock passes `iso`: immutability ending is the behaviour under test. */
function passed(iso: string): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, Date.parse(iso) - Date.now() + 300)));
}

describe('immutability on a store without it', () => {
  it('init --lock-days refuses the local store (exit 2), and --lock-mode alone is bad usage', async () => {
    const dir = await tempDir('snaptier-nolock-');
    try {
      const r = await run(['init', '--repo', join(dir.path, 'r'), '--lock-days', '30']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot make objects immutable/);
      expect((await run(['init', '--repo', join(dir.path, 'r'), '--lock-mode', 'governance'])).code).toBe(2);
    } finally {
      await dir.cleanup();
    }
  });
});

if (!external && !canStart) {
  console.log(`immutability-ceph.test.ts skipped: Ceph RGW not installed: ${CEPH_PACKAGES}`);
  describe.skip('immutability on Ceph RGW', () => {
    it(`needs Ceph RGW (${CEPH_PACKAGES}) or CEPH_S3_ENDPOINT`, () => {});
  });
} else {
  describe('immutability on Ceph RGW', () => {
    let cluster: CephCluster | undefined;
    let server: S3Server;
    let env: Record<string, string>;
    let dir: { path: string; cleanup: () => Promise<void> };

    beforeAll(async () => {
      [cluster, dir] = await Promise.all([external ? undefined : startCeph(), tempDir('snaptier-lock-')]);
      env = cluster ? cluster.env : {};
      const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, CEPH_S3_ENDPOINT: endpoint } = { ...process.env, ...env };
      if (!accessKeyId || !secretAccessKey || !endpoint) throw new Error('CEPH_S3_ENDPOINT needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
      server = { endpoint, credentials: { accessKeyId, secretAccessKey } };
    }, 900_000);
    // Locked buckets cannot be emptied before their locks end; the cluster goes with them.
    afterAll(async () => {
      await cluster?.stop();
      await dir?.cleanup();
    }, 60_000);

    const url = (bucket: string) => `s3://${bucket}/r?endpoint=${encodeURIComponent(server.endpoint)}`;
    const versionsOf = async (bucket: string, key: string) => {
      const client = rawClient(server);
      try {
        const res = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
        return [...(res.Versions ?? []), ...(res.DeleteMarkers ?? [])].filter((v) => v.Key === key).length;
      } finally {
        client.destroy();
      }
    };

    it('refuses to delete an immutable object with ImmutableObjectError and deletes a mutable one for real', async () => {
      const bucket = uniqueBucket('lk');
      const store = new S3Store(url(bucket), { credentials: server.credentials });
      try {
        await store.ensureContainer({ immutability: true });
        const untilMs = Date.now() + 600_000;
        await store.put('data/aa/locked', [Buffer.from('kept')], { immutability: { mode: 'compliance', untilMs } });
        await store.put('data/aa/free', [Buffer.from('gone')]);
        const immutableUntil = (await store.head('data/aa/locked')).immutableUntil;
        expect(Math.abs((immutableUntil ?? 0) - untilMs)).toBeLessThan(1000); // some stores keep whole seconds
        expect((await store.head('data/aa/free')).immutableUntil).toBeUndefined();
        await expect(store.delete('data/aa/locked')).rejects.toBeInstanceOf(ImmutableObjectError);
        // A fresh store does not know the bucket keeps versions: it learns it from the delete markers.
        const fresh = new S3Store(url(bucket), { credentials: server.credentials });
        await expect(fresh.deleteMany(['data/aa/locked', 'data/aa/free'])).rejects.toBeInstanceOf(ImmutableObjectError);
        await fresh.close();
        // The locked object is still there and visible (no delete marker left over); the other is gone, every version.
        expect((await store.get('data/aa/locked')).toString()).toBe('kept');
        expect(await versionsOf(bucket, 'r/data/aa/locked')).toBe(1);
        expect(await versionsOf(bucket, 'r/data/aa/free')).toBe(0);
      } finally {
        await store.close();
      }
    }, 60_000);

    it('init refuses a bucket without Object Lock (exit 2)', async () => {
      const bucket = uniqueBucket('nolk');
      expect((await run(['init', '--repo', url(bucket)], env)).code).toBe(0); // created without Object Lock
      const r = await run(['init', '--repo', url(bucket).replace('/r?', '/other?'), '--lock-days', '1'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Object Lock/);
    }, 60_000);

    it('lock --extend renews the immutability of every object the snapshots need, and only in an immutable repository', async () => {
      const bucket = uniqueBucket('lkx');
      const repo = url(bucket);
      const image = join(dir.path, 'img-x');
      await runJson(['init', '--repo', repo, '--pack-size', '1', '--lock-seconds', '30'], env);
      const rng = new Rng(9);
      await writeFile(image, rng.bytes(1 << 20));
      await runJson(['backup', '--repo', repo, '--volume', 'x', '--source', image], env);
      const store = new S3Store(repo, { credentials: server.credentials });
      try {
        const keys: string[] = [];
        for await (const o of store.list('data/')) keys.push(o.key);
        const before = (await store.head(keys[0]!)).immutableUntil!;
        const dry = await runJson(['lock', '--repo', repo, '--extend', '--dry-run'], env);
        expect(dry).toMatchObject({ dryRun: true, alreadyLocked: 0 });
        expect(dry.extended).toBe(dry.objects);
        expect((await store.head(keys[0]!)).immutableUntil).toBe(before);
        const started = Date.now();
        const r = await runJson(['lock', '--repo', repo, '--extend'], env);
        expect(r.objects).toBeGreaterThanOrEqual(4); // config, manifest, a data and a tree pack
        expect(r.extended).toBe(r.objects);
        const after = (await store.head(keys[0]!)).immutableUntil!;
        expect(after).toBeGreaterThan(before);
        expect(after).toBeGreaterThanOrEqual(started + 30_000 - 1000);
        // Not a repository with locks: refused as bad usage.
        const plain = url(uniqueBucket('lkn'));
        await runJson(['init', '--repo', plain], env);
        expect((await run(['lock', '--repo', plain, '--extend'], env)).code).toBe(2);
      } finally {
        await store.close();
      }
    }, 60_000);

    it('forget and prune skip what is immutable, report it, and free it once its immutability ends', async () => {
      const bucket = uniqueBucket('lkr');
      const repo = url(bucket);
      const image = join(dir.path, 'img');
      const init = await runJson(['init', '--repo', repo, '--pack-size', '1', '--lock-seconds', String(LOCK_SECONDS)], env);
      expect(init.lock).toEqual({ mode: 'compliance', seconds: LOCK_SECONDS, until: null });
      const rng = new Rng(5);
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        await writeFile(image, rng.bytes(3 << 19)); // each snapshot rewrites the whole image: A's packs are A's alone
        ids.push((await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--time', `2026-02-0${i + 1}T00:00:00Z`], env)).snapshot);
      }

      // forget: snapshot A's manifest is still locked, so A stays, reported.
      const f1 = await runJson(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--grace', '0'], env);
      expect(f1.remove).toEqual([]);
      expect(f1.locked).toMatchObject([{ id: ids[0], volume: 'v' }]);
      expect(f1.volumes[0].keep).toContainEqual(expect.objectContaining({ id: ids[0], reasons: ['lock'] }));

      // A locked pack nothing names (what an interrupted backup leaves): prune keeps and reports it.
      const id = randomBytes(16).toString('hex');
      const leftover = `data/${id.slice(0, 2)}/${id}`;
      const raw = new S3Store(repo, { credentials: server.credentials });
      await raw.put(leftover, [randomBytes(1000)], { immutability: { mode: 'compliance', untilMs: Date.now() + LOCK_SECONDS * 1000 } });
      await raw.close();
      const p1 = await runJson(['prune', '--repo', repo, '--grace', '0'], env);
      expect(p1).toMatchObject({ packsDeleted: 0, bytesLocked: 1000 });
      expect(p1.locked).toMatchObject([{ key: leftover }]);
      const human = await run(['prune', '--repo', repo, '--grace', '0'], env);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/1 objects \(.*\) immutable until 20\d\d-/);
      // Forcing it: the store itself refuses, exit 4, and nothing is lost.
      const forced = await run(['prune', '--repo', repo, '--grace', '0', '--force-locked'], env);
      expect(forced.code).toBe(4);
      expect(forced.stderr).toMatch(/is immutable/);
      expect(await versionsOf(bucket, `r/${leftover}`)).toBe(1);

      // Once the locks have ended: forget removes A, prune frees A's packs and the leftover, for real.
      await passed(p1.locked[0].until);
      await passed(f1.locked[0].until);
      const f2 = await runJson(['forget', '--repo', repo, '--keep-last', '1'], env);
      expect(f2).toMatchObject({ remove: [ids[0]], locked: [] });
      const p2 = await runJson(['prune', '--repo', repo, '--grace', '0'], env);
      expect(p2.locked).toEqual([]);
      expect(p2.packsDeleted).toBeGreaterThanOrEqual(3); // A's data and tree packs, and the leftover
      expect(await versionsOf(bucket, `r/${leftover}`)).toBe(0);
      const check = await runJson(['check', '--repo', repo], env);
      expect(check.ok).toBe(true);
      expect((await runJson(['snapshots', '--repo', repo], env)).map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    }, 120_000);
  });
}
