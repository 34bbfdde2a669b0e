// prune deletes what no snapshot reaches and nothing else: after forget --prune the repository
// shrinks and every kept snapshot restores bit-exact; leftovers wait out the grace period. (The
// race with a running backup is in prune-s3.test.ts, where a gate proxy holds the backup.)
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { listObjects } from '../helpers/repo-files.js';

function repoBytes(objects: Map<string, number>): number {
  return [...objects.values()].reduce((a, b) => a + b, 0);
}

describe('prune', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-prune-');
  });
  afterAll(() => dir?.cleanup());

  it('after forget --prune the repository shrinks, kept snapshots restore bit-exact and check --read-data passes', async () => {
    const repo = join(dir.path, 'repo');
    const image = join(dir.path, 'img');
    await runJson(['init', '--repo', repo, '--pack-size', '1']);
    await writeImage(image, 6 << 20, 11);
    const rng = new Rng(5);
    const snaps: Array<{ id: string; sha: string }> = [];
    for (let i = 0; i < 6; i++) {
      if (i > 0) for (let k = 0; k < 3; k++) await mutate(image, 'contiguous', rng);
      const b = await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--time', `2025-03-0${i + 1}T12:00:00Z`]);
      snaps.push({ id: b.snapshot, sha: await sha256File(image) });
    }
    const before = await listObjects(repo);
    // Sweeping only: repacking of the partly-live packs left is repack.test.ts's subject.
    const plan = await runJson(['forget', '--repo', repo, '--keep-last', '2', '--prune', '--repack-below', '0', '--dry-run']);
    expect(await listObjects(repo)).toEqual(before);
    const f = await runJson(['forget', '--repo', repo, '--keep-last', '2', '--prune', '--repack-below', '0']);
    // The dry run foresaw exactly what the real run did.
    expect(plan.remove).toEqual(f.remove);
    expect(plan.prune).toMatchObject({ packsDeleted: f.prune.packsDeleted, bytesFreed: f.prune.bytesFreed, dryRun: true });
    expect(f.keep).toEqual([snaps[5]!.id, snaps[4]!.id]);
    expect(f.remove).toEqual(snaps.slice(0, 4).map((s) => s.id).reverse());
    // The forgotten snapshots' own packs are released: freed at once, with no grace to wait.
    expect(f.prune.packsDeleted).toBeGreaterThan(0);
    expect(f.prune.bytesFreed).toBeGreaterThan(1 << 20);
    expect(f.prune.packsDeferred).toBe(0);
    const after = await listObjects(repo);
    const gone = [...before.keys()].filter((k) => !after.has(k));
    expect(gone.filter((k) => /^(data|tree)\//.test(k))).toHaveLength(f.prune.packsDeleted);
    expect(repoBytes(before) - repoBytes(after)).toBeGreaterThanOrEqual(f.prune.bytesFreed);

    for (const s of snaps.slice(4)) {
      const target = join(dir.path, `restore-${s.id}`);
      await runJson(['restore', '--repo', repo, '--volume', 'v', '--snapshot', s.id, '--target', target, '--overwrite']);
      expect(await sha256File(target)).toBe(s.sha);
    }
    expect((await run(['restore', '--repo', repo, '--volume', 'v', '--snapshot', snaps[0]!.id, '--target', join(dir.path, 'x')])).code).toBe(2);
    const c = await runJson(['check', '--repo', repo, '--read-data']);
    expect(c).toMatchObject({ ok: true, errors: [], warnings: [] });

    // A leftover pack of an interrupted run waits out the grace period, then goes.
    const packs = [...after.keys()].filter((k) => k.startsWith('data/'));
    const orphanId = 'ab'.padEnd(32, '7');
    await mkdir(join(repo, 'data', 'ab'), { recursive: true });
    await copyFile(join(repo, packs[0]!), join(repo, 'data', 'ab', orphanId));
    const dry = await runJson(['prune', '--repo', repo, '--grace', '0', '--dry-run', '--repack-below', '0']);
    expect(dry).toMatchObject({ packsDeleted: 1, dryRun: true });
    const waiting = await runJson(['prune', '--repo', repo, '--repack-below', '0']);
    expect(waiting).toMatchObject({ objectsDeleted: 0, packsDeferred: 1 });
    const gone2 = await runJson(['prune', '--repo', repo, '--grace', '0', '--repack-below', '0']);
    expect(gone2).toMatchObject({ objectsDeleted: 1, packsDeleted: 1, packsDeferred: 0 });
    expect((await listObjects(repo)).has(`data/ab/${orphanId}`)).toBe(false);
    expect(await runJson(['check', '--repo', repo])).toMatchObject({ ok: true, warnings: [] });
    expect((await run(['prune', '--repo', repo, '--grace', 'soon'])).code).toBe(2);
  });
});

