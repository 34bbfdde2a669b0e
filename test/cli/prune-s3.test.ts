// forget, hold and prune on an S3 store (s3rver, a real HTTP server): listing under a prefix,
// batch deletes, the sealed hold and prune objects beside the manifests; and prune beside a
// running backup, made to happen at the worst moment by a gate proxy that holds the backup's
// manifest PUT: every pack is stored, none is named yet.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, run, runJson, tempDir } from '../helpers/cli.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { sha256File } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';

describe('forget --prune on S3 (s3rver)', () => {
  let server: S3rverHandle;
  let dir: { path: string; cleanup: () => Promise<void> };
  const buckets: string[] = [];
  let env: Record<string, string>;
  beforeAll(async () => {
    [server, dir] = await Promise.all([startS3rver(), tempDir('snaptier-prune-s3-')]);
    env = { AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
  });
  afterAll(async () => {
    if (server) {
      const client = rawClient(server);
      for (const b of buckets) await removeBucket(client, b).catch(() => {});
      client.destroy();
      await server.stop();
    }
    await dir?.cleanup();
  });

  const repoUrl = (tag: string, endpoint = server.endpoint) => {
    const bucket = uniqueBucket(tag);
    buckets.push(bucket);
    return (ep = endpoint) => `s3://${bucket}/r?endpoint=${encodeURIComponent(ep)}&path-style=true&atomic-create=false`;
  };

  it('removes the forgotten snapshots and their packs, keeps the held one, and the rest restores', async () => {
    const repo = repoUrl('prune')();
    const image = join(dir.path, 'img');
    await runJson(['init', '--repo', repo, '--pack-size', '1'], env);
    const rng = new Rng(17);
    const ids: string[] = [];
    const shas: string[] = [];
    for (let i = 0; i < 4; i++) {
      await writeFile(image, rng.bytes(3 << 19)); // each snapshot rewrites the whole image
      ids.push((await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--time', `2026-02-0${i + 1}T00:00:00Z`], env)).snapshot);
      shas.push(await sha256File(image));
    }
    await runJson(['hold', '--repo', repo, '--volume', 'v', '--snapshot', ids[0]!, '--until', '2099-12-31'], env);
    const f = await runJson(['forget', '--repo', repo, '--keep-last', '1', '--prune'], env);
    expect(f.keep).toEqual([ids[3], ids[0]]);
    expect(f.remove).toEqual([ids[2], ids[1]]);
    expect(f.held).toMatchObject([{ id: ids[0], keptByHoldOnly: true }]);
    expect(f.prune.packsDeleted).toBeGreaterThanOrEqual(4); // two snapshots' data and tree packs
    expect(f.prune).toMatchObject({ packsDeferred: 0, snapshots: 2 });
    for (const i of [0, 3]) {
      const target = join(dir.path, `r${i}`);
      await runJson(['restore', '--repo', repo, '--volume', 'v', '--snapshot', ids[i]!, '--target', target], env);
      expect(await sha256File(target)).toBe(shas[i]);
    }
    expect(await runJson(['check', '--repo', repo, '--read-data'], env)).toMatchObject({ ok: true, warnings: [] });
    expect((await run(['restore', '--repo', repo, '--volume', 'v', '--snapshot', ids[1]!, '--target', join(dir.path, 'x')], env)).code).toBe(2);
  });

  it('a prune running beside a backup loses nothing: the grace period keeps the packs not yet named', async () => {
    // The same race twice: with the default grace (the backup must survive) and with --grace 0,
    // the control, where prune deletes the stored but unnamed packs: the race is real.
    const [safe, control] = await Promise.all([race('safe', []), race('control', ['--grace', '0'])]);

    expect(safe.prune).toMatchObject({ packsDeleted: 0, objectsDeleted: 0, snapshots: 0, packsDeferred: safe.prune.packs });
    expect(safe.prune.packs).toBeGreaterThanOrEqual(4);
    expect(safe.backupCode).toBe(0);
    const target = join(dir.path, 'race-restore');
    await runJson(['restore', '--repo', safe.repo, '--volume', 'v', '--snapshot', 'latest', '--target', target], env);
    expect(await sha256File(target)).toBe(safe.sha);
    expect(await runJson(['check', '--repo', safe.repo, '--read-data'], env)).toMatchObject({ ok: true, errors: [], warnings: [] });
    // Once committed the packs are referenced: a later prune deletes nothing and forgets them.
    expect(await runJson(['prune', '--repo', safe.repo, '--grace', '0'], env)).toMatchObject({ objectsDeleted: 0, packsDeferred: 0, snapshots: 1 });

    expect(control.prune.packsDeleted).toBe(control.prune.packs);
    expect(control.backupCode).toBe(0); // it cannot know: its manifest names packs that are gone
    expect((await run(['check', '--repo', control.repo], env)).code).toBe(3);
  });

  async function race(tag: string, pruneFlags: string[]) {
    const url = repoUrl(tag);
    const repo = url();
    const image = join(dir.path, `race-${tag}.img`);
    await writeFile(image, new Rng(tag.length).bytes(3 << 20));
    const sha = await sha256File(image);
    await runJson(['init', '--repo', repo, '--pack-size', '1'], env);
    const gate = await startGateProxy(server.endpoint, (req) => req.method === 'PUT' && /\/snapshots\//.test(req.url ?? ''));
    let backup: ReturnType<typeof spawn> | undefined;
    try {
      backup = spawn(process.execPath, [BIN, 'backup', '--repo', url(gate.endpoint), '--volume', 'v', '--source', image, '--json'], {
        env: { ...process.env, ...env, SNAPTIER_PASSWORD: 'test-password', SNAPTIER_KDF_LOG2N: '10' },
        stdio: 'ignore',
      });
      const child = backup;
      const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
      await gate.held; // every pack stored, the manifest waiting
      const prune = await runJson(['prune', '--repo', repo, ...pruneFlags], env);
      gate.open();
      return { repo, sha, prune, backupCode: await exited };
    } finally {
      // Should anything above fail, the held backup must not retry on for minutes.
      if (backup && backup.exitCode === null) backup.kill();
      await gate.close();
    }
  }
});
