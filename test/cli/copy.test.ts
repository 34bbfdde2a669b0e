// `copy` through the real CLI: a chain of snapshots backed up at a local repository is copied to
// S3 (s3rver) and on from there to Azure (Azurite), each repository with its own password,
// compression and pack size. Every copy restores bit-exact where it landed, with the source
// out of reach; a later copy sends only what changed; a re-run copies nothing.
import { spawn } from 'node:child_process';
import { copyFile, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { BIN, run, tempDir } from '../helpers/cli.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';

const MiB = 1024 * 1024;
const PW = { a: 'site-a-password', b: 'site-b-password', c: 'site-c-password' };

let tmp: { path: string; cleanup: () => Promise<void> };
let s3: S3rverHandle;
let azurite: Azurite;
const bucket = uniqueBucket('copy');
let siteA: string;
let siteB: string;
let siteC: string;
let env: Record<string, string>;
/** Images of the chain at site A, oldest first, with their snapshot ids and digests. */
const chain: Array<{ image: string; id: string; sha: string }> = [];

async function cli(args: string[], extra: Record<string, string | undefined> = {}): Promise<any> {
  const r = await run([...args, '--json'], { ...env, ...extra });
  expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

const atA = { SNAPTIER_PASSWORD: PW.a };
const aToB = { SNAPTIER_PASSWORD: PW.a, SNAPTIER_TO_PASSWORD: PW.b };
const atB = { SNAPTIER_PASSWORD: PW.b };
const atC = { SNAPTIER_PASSWORD: PW.c };

async function backupAtA(image: string, time: string, labels: string[] = []): Promise<void> {
  const doc = await cli(
    ['backup', '--repo', siteA, '--volume', 'db01', '--source', image, '--time', time, ...labels.flatMap((l) => ['--label', l])],
    atA,
  );
  chain.push({ image, id: doc.snapshot, sha: await sha256File(image) });
}

async function expectRestoresEverySnapshot(repo: string, pw: Record<string, string>, where: string): Promise<void> {
  const listed: any[] = await cli(['snapshots', '--repo', repo, '--volume', 'db01'], pw);
  // Copies keep their ids: site B knows each snapshot by the id site A printed.
  expect(listed.map((s) => s.id)).toEqual(chain.map((c) => c.id));
  // Each copy was built on the copy of its source parent, not sent whole.
  expect(listed.map((s) => s.parent)).toEqual([null, ...listed.slice(0, -1).map((s) => s.id)]);
  for (const [i, c] of chain.entries()) {
    const target = join(tmp.path, `restore-${where}-${i}`);
    await cli(['restore', '--repo', repo, '--volume', 'db01', '--snapshot', listed[i].id, '--target', target], pw);
    expect(await sha256File(target), `${where}: snapshot ${i}`).toBe(c.sha);
    await rm(target);
  }
}

beforeAll(async () => {
  tmp = await tempDir('snaptier-copy-');
  [s3, azurite] = await Promise.all([startS3rver(), startAzurite()]);
  env = {
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AZURE_STORAGE_KEY: azurite.key,
  };
  siteA = join(tmp.path, 'site-a');
  siteB = `s3://${bucket}/site-b?endpoint=${encodeURIComponent(s3.endpoint)}&path-style=true&atomic-create=false`;
  siteC = `azure://copy/site-c?account=${azurite.account}&endpoint=${encodeURIComponent(azurite.endpoint)}`;
  await cli(['init', '--repo', siteA], atA);
  await cli(['init', '--repo', siteB, '--compression', 'lz4', '--pack-size', '1'], atB);
  await cli(['init', '--repo', siteC, '--compression', 'none', '--pack-size', '2'], atC);

  // A chain of five: every kind of change, a growth and a shrink, and a label.
  const rng = new Rng(7);
  const images = Array.from({ length: 5 }, (_, i) => join(tmp.path, `image-${i}`));
  await writeImage(images[0]!, 9 * MiB + 1234, 5);
  const steps: Array<Array<'scattered' | 'contiguous' | 'zero' | 'grow' | 'shrink'>> = [
    ['scattered', 'contiguous'],
    ['zero', 'grow'],
    ['contiguous', 'shrink', 'scattered'],
    ['scattered'],
  ];
  await backupAtA(images[0]!, '2026-11-01T01:00:00Z', ['tier=gold']);
  for (const [i, kinds] of steps.entries()) {
    await copyFile(images[i]!, images[i + 1]!);
    for (const k of kinds) await mutate(images[i + 1]!, k, rng);
    await backupAtA(images[i + 1]!, `2026-11-0${i + 2}T01:00:00Z`);
  }
}, 60_000);

afterAll(async () => {
  if (s3) {
    const client = rawClient(s3);
    await removeBucket(client, bucket).catch(() => {});
    client.destroy();
  }
  await Promise.allSettled([s3?.stop(), azurite?.stop()]);
  await tmp?.cleanup();
});

describe('copy between repositories', () => {
  it('copies a chain local -> S3 -> Azure, each copy restorable bit-exact where it landed', async () => {
    const toB = await cli(['copy', '--from', siteA, '--to', siteB], aToB);
    expect(toB.snapshots).toEqual(chain.map((c) => c.id));
    expect(toB.skipped).toEqual([]);
    expect(toB.objectsUploaded).toBeGreaterThan(chain.length);

    // B -> C with the destination password from a file, the source's from the environment.
    const pwFile = join(tmp.path, 'pw-c');
    await writeFile(pwFile, `${PW.c}\n`);
    const toC = await cli(['copy', '--from', siteB, '--to', siteC, '--volume', 'db01', '--to-password-file', pwFile], atB);
    const atBList: any[] = await cli(['snapshots', '--repo', siteB], atB);
    expect(toC.snapshots).toEqual(atBList.map((s) => s.id));

    // Site A is out of reach: the copies stand on their own.
    await rename(siteA, `${siteA}.away`);
    try {
      const cList: any[] = await cli(['snapshots', '--repo', siteC], atC);
      expect(cList.map((s) => s.time)).toEqual(atBList.map((s) => s.time));
      expect(cList[0].labels).toEqual({ tier: 'gold' });
      expect(cList.map((s) => s.id)).toEqual(chain.map((c) => c.id));
      await expectRestoresEverySnapshot(siteB, atB, 's3');
      await expectRestoresEverySnapshot(siteC, atC, 'azure');
      const check = await cli(['check', '--repo', siteC, '--read-data'], atC);
      expect(check).toMatchObject({ ok: true, errors: [] });
    } finally {
      await rename(`${siteA}.away`, siteA);
    }
  }, 60_000);

  it('sends only what changed after one small backup, and a re-run copies nothing', async () => {
    // 128 KiB of new data inside one segment of the newest image.
    const last = chain[chain.length - 1]!;
    const next = join(tmp.path, 'image-small-change');
    await copyFile(last.image, next);
    const fh = await open(next, 'r+');
    await fh.write(new Rng(99).bytes(128 * 1024), 0, 128 * 1024, 3 * MiB + 64 * 1024);
    await fh.close();
    await backupAtA(next, '2026-11-09T01:00:00Z');

    const toB = await cli(['copy', '--from', siteA, '--to', siteB], aToB);
    expect(toB.snapshots).toEqual([chain[chain.length - 1]!.id]);
    expect(toB.skipped).toHaveLength(chain.length - 1);
    expect(toB.bytesUploaded).toBeLessThan(1 * MiB);
    const toC = await cli(['copy', '--from', siteB, '--to', siteC], { ...atB, SNAPTIER_TO_PASSWORD: PW.c });
    expect(toC.snapshots).toHaveLength(1);
    expect(toC.bytesUploaded).toBeLessThan(1 * MiB);

    const again = await cli(['copy', '--from', siteA, '--to', siteB], aToB);
    expect(again).toMatchObject({ snapshots: [], bytesUploaded: 0, objectsUploaded: 0 });
    expect(again.skipped).toHaveLength(chain.length);

    const newest: any[] = await cli(['snapshots', '--repo', siteC], atC);
    const target = join(tmp.path, 'restore-newest');
    await cli(['restore', '--repo', siteC, '--volume', 'db01', '--snapshot', newest[newest.length - 1].id, '--target', target], atC);
    expect(await sha256File(target)).toBe(chain[chain.length - 1]!.sha);
  }, 60_000);

  it('resumes a copy killed mid-way: the re-run sends only the snapshots that had not arrived', async () => {
    // The third manifest PUT to site E is held at a gate and the copy killed while it waits.
    let manifests = 0;
    const gate = await startGateProxy(
      s3.endpoint,
      (req) => req.method === 'PUT' && /\/site-e\/snapshots\//.test(req.url ?? '') && ++manifests === 3,
    );
    const siteE = (endpoint: string) =>
      `s3://${bucket}/site-e?endpoint=${encodeURIComponent(endpoint)}&path-style=true&atomic-create=false`;
    try {
      await cli(['init', '--repo', siteE(s3.endpoint), '--pack-size', '1'], atC);
      const child = spawn(process.execPath, [BIN, 'copy', '--from', siteA, '--to', siteE(gate.endpoint), '--json'], {
        env: { ...process.env, ...env, SNAPTIER_KDF_LOG2N: '10', SNAPTIER_PASSWORD: PW.a, SNAPTIER_TO_PASSWORD: PW.c },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await gate.held;
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
    } finally {
      await gate.close();
    }
    const arrived: any[] = await cli(['snapshots', '--repo', siteE(s3.endpoint)], atC);
    expect(arrived.map((s) => s.id)).toEqual(chain.slice(0, 2).map((c) => c.id));

    const resumed = await cli(['copy', '--from', siteA, '--to', siteE(s3.endpoint)], { ...atA, SNAPTIER_TO_PASSWORD: PW.c });
    expect(resumed.snapshots).toEqual(chain.slice(2).map((c) => c.id));
    expect(resumed.skipped).toEqual(chain.slice(0, 2).map((c) => c.id));
    const all: any[] = await cli(['snapshots', '--repo', siteE(s3.endpoint)], atC);
    expect(all.map((s) => s.id)).toEqual(chain.map((c) => c.id));
    const target = join(tmp.path, 'restore-resumed');
    await cli(['restore', '--repo', siteE(s3.endpoint), '--volume', 'db01', '--snapshot', all[all.length - 1].id, '--target', target], atC);
    expect(await sha256File(target)).toBe(chain[chain.length - 1]!.sha);
  }, 60_000);

  it('refuses a wrong destination password, the same repository twice, and an unknown volume', async () => {
    const wrong = await run(['copy', '--from', siteA, '--to', siteB, '--json'], { ...env, ...atA, SNAPTIER_TO_PASSWORD: 'nope' });
    expect(wrong.code, wrong.stderr).toBe(2);
    expect(wrong.stderr).toMatch(/wrong password for the repository at/);
    const same = await run(['copy', '--from', siteA, '--to', siteA, '--json'], { ...env, ...atA });
    expect(same.code, same.stderr).toBe(2);
    expect(same.stderr).toMatch(/same repository/);
    const none = await run(['copy', '--from', siteA, '--to', siteB, '--volume', 'nosuch', '--json'], { ...env, ...aToB });
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/volume nosuch has no snapshots/);
  });
});
