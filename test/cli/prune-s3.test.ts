// forget, hold and prune on an S3 store (s3rver, a real HTTP server): listing under a prefix,
// batch deletes, the sealed hold and prune objects beside the manifests; and prune beside a
// running backup, made to happen at the worst moment by a gate proxy that holds the backup's
// manifest PUT: every pack is stored, none is named yet.
import type { ChildProcess } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runJson, start } from '../helpers/cli.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { sha256File } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

describe('forget --prune on S3 (s3rver)', () => {
  const s3 = useS3rver('snaptier-prune-s3-');

  const repoUrl = (tag: string, endpoint = s3.server.endpoint) => {
    const bucket = s3.bucket(tag);
    return (ep = endpoint) => `s3://${bucket}/r?endpoint=${encodeURIComponent(ep)}&path-style=true&atomic-create=false`;
  };

  it('removes the forgotten snapshots and their packs, keeps the held one, and the rest restores', async () => {
    const repo = repoUrl('prune')();
    const image = join(s3.dir, 'img');
    await runJson(['init', '--repo', repo, '--pack-size', '1'], s3.env);
    const rng = new Rng(17);
    const ids: string[] = [];
    const shas: string[] = [];
    for (let i = 0; i < 4; i++) {
      await writeFile(image, rng.bytes(3 << 19)); // each snapshot rewrites the whole image
      ids.push((await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--time', `2026-02-0${i + 1}T00:00:00Z`], s3.env)).snapshot);
      shas.push(await sha256File(image));
    }
    await runJson(['hold', '--repo', repo, '--volume', 'v', '--snapshot', ids[0]!, '--until', '2099-12-31'], s3.env);
    const f = await runJson(['forget', '--repo', repo, '--keep-last', '1', '--prune'], s3.env);
    expect(f.keep).toEqual([ids[3], ids[0]]);
    expect(f.remove).toEqual([ids[2], ids[1]]);
    expect(f.held).toMatchObject([{ id: ids[0], keptByHoldOnly: true }]);
    expect(f.prune.packsDeleted).toBeGreaterThanOrEqual(4); // two snapshots' data and tree packs
    expect(f.prune).toMatchObject({ packsDeferred: 0, snapshots: 2 });
    for (const i of [0, 3]) {
      const target = join(s3.dir, `r${i}`);
      await runJson(['restore', '--repo', repo, '--volume', 'v', '--snapshot', ids[i]!, '--target', target, '--overwrite'], s3.env);
      expect(await sha256File(target)).toBe(shas[i]);
    }
    expect(await runJson(['check', '--repo', repo, '--read-data'], s3.env)).toMatchObject({ ok: true, warnings: [] });
    expect((await run(['restore', '--repo', repo, '--volume', 'v', '--snapshot', ids[1]!, '--target', join(s3.dir, 'x')], s3.env)).code).toBe(2);
  });

  it('repacks a mostly-dead pack over S3: the kept snapshot restores through the forwarding record', async () => {
    const repo = repoUrl('repack')();
    const image = join(s3.dir, 'img-repack');
    await runJson(['init', '--repo', repo, '--pack-size', '1', '--compression', 'none'], s3.env);
    const rng = new Rng(23);
    await writeFile(image, rng.bytes(4 << 20));
    const overwrite = async (regions: number) => {
      const fh = await open(image, 'r+');
      for (let k = 0; k < regions; k++) await fh.write(rng.bytes(64 << 10), 0, 64 << 10, k * (256 << 10));
      await fh.close();
      return (await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image], s3.env)).snapshot as string;
    };
    await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image], s3.env);
    // One pack of 15 small chunks (a 16th would take the 1 MiB pack past its size: a pack is
    // closed before that, since stop 14), then 11 of them superseded: 4 live ones to repack.
    await overwrite(15);
    const last = await overwrite(11);
    const sha = await sha256File(image);
    const f = await runJson(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--grace', '0'], s3.env);
    expect(f.prune.packsRepacked).toBeGreaterThanOrEqual(1);
    expect(f.prune.bytesRepacked).toBeGreaterThanOrEqual(4 * (64 << 10));
    const target = join(s3.dir, 'r-repack');
    await runJson(['restore', '--repo', repo, '--volume', 'v', '--snapshot', last, '--target', target, '--overwrite'], s3.env);
    expect(await sha256File(target)).toBe(sha);
    expect(await runJson(['check', '--repo', repo, '--read-data'], s3.env)).toMatchObject({ ok: true, errors: [], warnings: [] });
  });

  it('a prune running beside a backup loses nothing: the grace period and the backup\'s lease keep the packs not yet named', async () => {
    // The same race three times: with the default grace (the backup must survive); with --grace 0
    // (the backup's lock tells prune it runs: it must survive); and with --grace 0 after the
    // backup's lock was removed, the control, where prune deletes the stored but unnamed packs:
    // the race is real.
    const [safe, locked, control] = await Promise.all([race('safe', []), race('locked', ['--grace', '0']), race('control', ['--grace', '0'], true)]);

    expect(safe.prune).toMatchObject({ packsDeleted: 0, objectsDeleted: 0, snapshots: 0, packsDeferred: safe.prune.packs });
    expect(safe.prune.packs).toBeGreaterThanOrEqual(4);
    expect(safe.backupCode).toBe(0);
    const target = join(s3.dir, 'race-restore');
    await runJson(['restore', '--repo', safe.repo, '--volume', 'v', '--snapshot', 'latest', '--target', target, '--overwrite'], s3.env);
    expect(await sha256File(target)).toBe(safe.sha);
    expect(await runJson(['check', '--repo', safe.repo, '--read-data'], s3.env)).toMatchObject({ ok: true, errors: [], warnings: [] });
    // Once committed the packs are referenced: a later prune deletes nothing and forgets them.
    expect(await runJson(['prune', '--repo', safe.repo, '--grace', '0'], s3.env)).toMatchObject({ objectsDeleted: 0, packsDeferred: 0, snapshots: 1 });

    expect(locked.prune).toMatchObject({ packsDeleted: 0, objectsDeleted: 0, packsDeferred: locked.prune.packs });
    expect(locked.backupCode).toBe(0);
    expect(await runJson(['check', '--repo', locked.repo, '--read-data'], s3.env)).toMatchObject({ ok: true, errors: [], warnings: [] });

    expect(control.prune.packsDeleted).toBe(control.prune.packs);
    expect(control.backupCode).toBe(0); // it cannot know: its manifest names packs that are gone
    expect((await run(['check', '--repo', control.repo], s3.env)).code).toBe(3);
  });

  async function race(tag: string, pruneFlags: string[], unlockFirst = false) {
    const url = repoUrl(tag);
    const repo = url();
    const image = join(s3.dir, `race-${tag}.img`);
    await writeFile(image, new Rng(tag.length).bytes(3 << 20));
    const sha = await sha256File(image);
    await runJson(['init', '--repo', repo, '--pack-size', '1'], s3.env);
    const gate = await startGateProxy(s3.server.endpoint, (req) => req.method === 'PUT' && /\/snapshots\//.test(req.url ?? ''));
    let backup: ChildProcess | undefined;
    try {
      const started = start(['backup', '--repo', url(gate.endpoint), '--volume', 'v', '--source', image, '--json'], s3.env);
      backup = started.child;
      const exited = started.ended.then((e) => e.code ?? -1);
      await gate.held; // every pack stored, the manifest waiting
      if (unlockFirst) await runJson(['unlock', '--repo', repo, '--all'], s3.env); // prune cannot see the backup
      const prune = await runJson(['prune', '--repo', repo, ...pruneFlags], s3.env);
      gate.open();
      return { repo, sha, prune, backupCode: await exited };
    } finally {
      // Should anything above fail, the held backup must not retry on for minutes.
      if (backup && backup.exitCode === null) backup.kill();
      await gate.close();
    }
  }
});
