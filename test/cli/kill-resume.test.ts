// Crash safety through the real CLI against a real S3 server (s3rver): a backup process is killed
// with SIGKILL at 20 seeded random moments of a whole run, each a request number (counted by a
// proxy in front of the server, killed before or after that request), so a failure replays.
// After each kill the half-done snapshot is not listed, the latest earlier snapshot restores
// bit-exact (all of them at the end, to keep the file near a minute and a half) and `check`
// passes with the leftovers as warnings. Each run resumes what the killed ones left
// (checkpoints), so now and then a run finishes before its kill moment, or is killed after its
// commit: it must have uploaded less than a fresh backup of the same image when it resumed,
// restore bit-exact, and the next kills go to a backup of a new image. At the end a last run
// completes the backup, every snapshot restores bit-exact and `check --read-data` passes.
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, start, tempDir } from '../helpers/cli.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { longOr } from '../helpers/long.js';
import { Rng } from '../helpers/random.js';
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { type KilledRun, type KillProxy, startKillProxy } from '../helpers/kill-proxy.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';

const MiB = 1024 * 1024;
/** 60 under SNAPTIER_LONG=1: a soak of the same test, new moments from the same seed. */
const KILLS = longOr(20, 60);
const SEED = 20261206;
/** Incompressible, so every byte is uploaded. */
const IMAGE_BYTES = 32 * MiB + 4096 * 3;
/** What check may report after a kill: leftovers, never anything else. */
const LEFTOVER = /^(checkpoint .*(interrupted|no longer resumed)|pack \S+ is not referenced by any snapshot|lease .* is stale)/;

let tmp: { path: string; cleanup: () => Promise<void> };
let s3: S3rverHandle;
const bucket = uniqueBucket('kill');
let repo: string;
/** The same repository through the kill proxy: what the runs to kill use. */
let killRepo: string;
let proxy: KillProxy;
let env: Record<string, string>;
/** Committed snapshots of db01, oldest first, with the digest of their image. */
const committed: Array<{ id: string; sha: string }> = [];

async function cli(args: string[]): Promise<any> {
  const r = await run([...args, '--json'], env);
  expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** Starts a backup (through the proxy) and kills it at its `request`-th request, unless it ends before. */
async function backupKilledAt(args: string[], request: number, when: 'before' | 'after'): Promise<KilledRun> {
  const { child, ended } = start([...args, '--json'], env);
  proxy.arm({ request, when, kill: () => child.kill('SIGKILL') });
  const e = await ended;
  proxy.arm();
  return { ...e, killed: e.signal === 'SIGKILL' };
}

/** Data packs in the bucket, counted without the adapter under test. */
async function dataPacks(): Promise<number> {
  const client = rawClient(s3);
  try {
    let n = 0;
    let marker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListObjectsCommand({ Bucket: bucket, Prefix: 'kill/data/', ...(marker ? { Marker: marker } : {}) }),
      );
      n += page.Contents?.length ?? 0;
      if (!page.IsTruncated) return n;
      marker = page.Contents?.at(-1)?.Key;
    }
  } finally {
    client.destroy();
  }
}

async function restoredSha(id: string): Promise<string> {
  const target = join(tmp.path, `restore-${id}`);
  await cli(['restore', '--repo', repo, '--volume', 'db01', '--snapshot', id, '--target', target, '--overwrite']);
  const sha = await sha256File(target);
  await rm(target);
  return sha;
}

beforeAll(async () => {
  [tmp, s3] = await Promise.all([tempDir('snaptier-kill-'), startS3rver()]);
  env = {
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    SNAPTIER_WORKERS: '2',
  };
  repo = `s3://${bucket}/kill?endpoint=${encodeURIComponent(s3.endpoint)}&path-style=true&atomic-create=false`;
  proxy = await startKillProxy(s3.endpoint);
  killRepo = `s3://${bucket}/kill?endpoint=${encodeURIComponent(proxy.endpoint)}&path-style=true&atomic-create=false`;
  // 1 MiB packs: a checkpoint every 8 MiB of upload (CHECKPOINT.everyPacks), several per run.
  await cli(['init', '--repo', repo, '--pack-size', '1']);
  // Two earlier snapshots that every kill must leave restorable.
  const first = join(tmp.path, 'earlier-1');
  const second = join(tmp.path, 'earlier-2');
  await writeImage(first, 8 * MiB + 1234, 61);
  await copyFile(first, second);
  const rng = new Rng(62);
  for (const m of ['scattered', 'contiguous', 'grow'] as const) await mutate(second, m, rng);
  for (const image of [first, second]) {
    const b = await cli(['backup', '--repo', repo, '--volume', 'db01', '--source', image]);
    committed.push({ id: b.snapshot, sha: await sha256File(image) });
  }
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  if (s3) {
    const client = rawClient(s3);
    await removeBucket(client, bucket).catch(() => {});
    client.destroy();
  }
  await s3?.stop();
  await tmp?.cleanup();
});

describe('kill -9 of a backup', () => {
  it(`at ${KILLS} random moments leaves earlier snapshots intact, and the re-runs resume with less upload`, async () => {
    const rng = new Rng(SEED);
    const images: string[] = [];
    const newImage = async (): Promise<string> => {
      const path = join(tmp.path, `image-${images.length}`);
      await writeFile(path, new Rng(SEED + images.length).bytes(IMAGE_BYTES));
      images.push(path);
      return path;
    };
    let image = await newImage();

    // The reference: a fresh backup of the same image (another volume, nothing to resume),
    // through the proxy, which counts its requests: the kill points are drawn among them.
    proxy.arm();
    const fresh = await cli(['backup', '--repo', killRepo, '--volume', 'fresh', '--source', image]);
    const fullRequests = proxy.requests.length;
    expect(fresh.resumed).toBe(false);

    const kills: Array<{ at: string; afterCommit: boolean; uploaded: number; checkpoints: number; orphanPacks: number }> = [];
    let packsBefore = await dataPacks();
    const finished: any[] = [];
    for (let attempt = 0; kills.length < KILLS && attempt < 3 * KILLS; attempt++) {
      const request = 1 + Math.floor(rng.next() * fullRequests);
      const when = rng.next() < 0.5 ? 'before' : 'after';
      const at = `request ${request} (${when})`;
      const a = await backupKilledAt(['backup', '--repo', killRepo, '--volume', 'db01', '--source', image], request, when);
      if (!a.killed) {
        // Resumed runs are faster than the fresh one: this one finished before its kill moment.
        expect(a.code, a.stderr).toBe(0);
        const doc = JSON.parse(a.stdout);
        finished.push(doc);
        committed.push({ id: doc.snapshot, sha: await sha256File(image) });
        image = await newImage();
        packsBefore = await dataPacks();
        continue;
      }
      const packsNow = await dataPacks();
      const latest = committed[committed.length - 1]!;
      const [listed, check, sha] = await Promise.all([
        cli(['snapshots', '--repo', repo, '--volume', 'db01']),
        cli(['check', '--repo', repo]),
        restoredSha(latest.id),
      ]);
      const what = `kill ${kills.length + 1} at ${at} (seed ${SEED})`;
      const ids = listed.map((s: any) => s.id);
      expect(sha, what).toBe(latest.sha);
      let afterCommit = false;
      if (ids.length === committed.length + 1) {
        // Killed after its manifest was written (the commit), while it cleaned up: a snapshot
        // like any other, of the whole image.
        afterCommit = true;
        const id = ids[ids.length - 1];
        const imageSha = await sha256File(image);
        expect(await restoredSha(id), what).toBe(imageSha);
        committed.push({ id, sha: imageSha });
        image = await newImage();
      }
      expect(ids, what).toEqual(committed.map((c) => c.id));
      expect(check, what).toMatchObject({ ok: true, errors: [] });
      for (const w of check.warnings) expect(w, what).toMatch(LEFTOVER);
      kills.push({
        at,
        afterCommit,
        uploaded: packsNow - packsBefore,
        checkpoints: check.warnings.filter((w: string) => w.startsWith('checkpoint ')).length,
        orphanPacks: check.warnings.filter((w: string) => / is not referenced by any snapshot/.test(w)).length,
      });
      packsBefore = afterCommit ? await dataPacks() : packsNow;
    }
    expect(kills).toHaveLength(KILLS);
    // Kills landed at every stage: after the killed run had uploaded data packs, and before.
    expect(kills.filter((k) => k.uploaded > 0).length).toBeGreaterThanOrEqual(3);
    expect(kills.filter((k) => k.uploaded === 0).length).toBeGreaterThanOrEqual(1);

    // The last backup runs to the end, resuming what the last kills left.
    const last = await cli(['backup', '--repo', repo, '--volume', 'db01', '--source', image]);
    finished.push(last);
    committed.push({ id: last.snapshot, sha: await sha256File(image) });
    const resumed = finished.filter((f) => f.resumed);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    for (const f of resumed) {
      expect(f.bytesReused).toBeGreaterThan(0);
      expect(f.bytesUploaded).toBeLessThan(fresh.bytesUploaded);
    }

    // Every snapshot, two restores at a time.
    for (let i = 0; i < committed.length; i += 2) {
      const pair = committed.slice(i, i + 2);
      const shas = await Promise.all(pair.map((c) => restoredSha(c.id)));
      expect(shas).toEqual(pair.map((c) => c.sha));
    }
    const final = await cli(['check', '--repo', repo, '--read-data']);
    expect(final).toMatchObject({ ok: true, errors: [] });
    for (const w of final.warnings) expect(w).toMatch(LEFTOVER);
    expect(final.warnings.filter((w: string) => w.startsWith('checkpoint '))).toEqual([]);

    // prune removes the leftovers (no backup runs, so no grace is needed): check is then clean
    // and the latest snapshot still restores.
    const orphans = final.warnings.filter((w: string) => / is not referenced by any snapshot/.test(w)).length;
    const pruned = await cli(['prune', '--repo', repo, '--grace', '0']);
    expect(pruned.packsDeleted).toBeGreaterThanOrEqual(orphans);
    expect(await cli(['check', '--repo', repo])).toMatchObject({ ok: true, errors: [], warnings: [] });
    const newest = committed.at(-1)!;
    expect(await restoredSha(newest.id)).toBe(newest.sha);

    console.log(
      JSON.stringify({
        fullRequests,
        fresh: { bytesUploaded: fresh.bytesUploaded, objectsUploaded: fresh.objectsUploaded, checkpoints: fresh.checkpoints },
        kills,
        finished: finished.map((f) => ({
          resumed: f.resumed,
          bytesUploaded: f.bytesUploaded,
          bytesReused: f.bytesReused,
          durationMs: f.durationMs,
        })),
        leftoverWarnings: final.warnings.length,
      }),
    );
  }, 900_000); // no time is asserted: this only bounds a stuck run (the file takes ~2 min alone, much more on a loaded machine)
});
