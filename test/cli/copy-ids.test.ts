// Cross-site restore by the id the first site printed: a copied snapshot keeps its id (and its
// labels) in every repository it reaches, copies of copies too, and restore, diff, hold and
// forget at the second site take that id. Copies made by earlier versions (their own id, plus a
// snaptier.copy-of label) are still known by the original's id.
import { randomBytes } from 'node:crypto';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/store/local/local-store.js';
import { Repository } from '../../src/repo/repository.js';
import { COPY_LABEL, commitManifest, listSnapshots } from '../../src/repo/catalog.js';
import { snapshotKey } from '../../src/format/layout.js';
import { run, runJson } from '../helpers/cli.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

const MiB = 1 << 20;

describe('copies keep their ids', () => {
  const s3 = useS3rver('snaptier-copyids-');

  it('site B (s3rver) answers restore, diff, hold and forget for the ids site A printed; a copy of a copy too', async () => {
    const siteA = join(s3.dir, 'site-a');
    const bucket = s3.bucket('copyids');
    const siteB = `s3://${bucket}/b?endpoint=${encodeURIComponent(s3.server.endpoint)}&path-style=true&atomic-create=false`;
    const siteC = join(s3.dir, 'site-c');
    const env = s3.env;
    for (const r of [siteA, siteB, siteC]) expect((await run(['init', '--repo', r], env)).code).toBe(0);
    const images = [join(s3.dir, 'i0'), join(s3.dir, 'i1'), join(s3.dir, 'i2')];
    await writeImage(images[0]!, 6 * MiB, 3);
    const rng = new Rng(4);
    const ids: string[] = [];
    for (const [i, img] of images.entries()) {
      if (i > 0) {
        await copyFile(images[i - 1]!, img);
        await mutate(img, 'scattered', rng);
      }
      const label = i === 0 ? ['--label', 'tier=gold'] : [];
      ids.push((await runJson(['backup', '--repo', siteA, '--volume', 'db', '--source', img, '--source-id', `lv/db@${i}`, ...label], env)).snapshot);
    }
    const copied = await runJson(['copy', '--from', siteA, '--to', siteB], env);
    expect(copied.snapshots).toEqual(ids);
    const atB = await runJson<any[]>(['snapshots', '--repo', siteB, '--volume', 'db'], env);
    expect(atB.map((s) => s.id)).toEqual(ids);
    expect(atB[0].labels).toEqual({ tier: 'gold' });
    expect(atB.map((s) => s.sourceId)).toEqual(['lv/db@0', 'lv/db@1', 'lv/db@2']);
    expect(atB.map((s) => s.parent)).toEqual([null, ids[0], ids[1]]);

    // Restore by the short id site A printed.
    const target = join(s3.dir, 'restored');
    expect((await run(['restore', '--repo', siteB, '--volume', 'db', '--snapshot', ids[1]!.slice(0, 8), '--target', target], env)).code).toBe(0);
    expect(await sha256File(target)).toBe(await sha256File(images[1]!));
    const diffB = await runJson(['diff', '--repo', siteB, '--volume', 'db', '--from', ids[0]!, '--to', ids[2]!], env);
    const diffA = await runJson(['diff', '--repo', siteA, '--volume', 'db', '--from', ids[0]!, '--to', ids[2]!], env);
    expect(diffB).toEqual(diffA);
    expect((await run(['hold', '--repo', siteB, '--volume', 'db', '--snapshot', ids[0]!, '--until', '2099-01-01T00:00:00Z'], env)).code).toBe(0);
    const forgot = await runJson(['forget', '--repo', siteB, '--volume', 'db', '--keep-last', '1'], env);
    expect(forgot.keep.sort()).toEqual([ids[0], ids[2]].sort()); // the hold keeps the first
    expect(forgot.remove).toEqual([ids[1]]);

    // A copy of the copy: the same ids again.
    const again = await runJson(['copy', '--from', siteB, '--to', siteC], env);
    expect(again.snapshots).toEqual([ids[0], ids[2]]);
    expect((await runJson<any[]>(['snapshots', '--repo', siteC], env)).map((s) => s.id)).toEqual([ids[0], ids[2]]);
    // Copying back from C to A finds everything there already.
    expect((await runJson(['copy', '--from', siteC, '--to', siteA], env)).snapshots).toEqual([]);
  });

  it('a copy made by an earlier version (own id, snaptier.copy-of label) is known by the original id', async () => {
    const siteA = join(s3.dir, 'legacy-a');
    const siteB = join(s3.dir, 'legacy-b');
    const siteD = join(s3.dir, 'legacy-d');
    for (const r of [siteA, siteB, siteD]) expect((await run(['init', '--repo', r])).code).toBe(0);
    const img = join(s3.dir, 'legacy.img');
    await writeImage(img, 3 * MiB, 8);
    const id = (await runJson(['backup', '--repo', siteA, '--volume', 'v', '--source', img])).snapshot;
    await runJson(['copy', '--from', siteA, '--to', siteB]);
    // Rewrite B's copy the way earlier versions stored it.
    const repo = await Repository.open(new LocalStore(siteB), async () => 'test-password');
    const [entry] = await listSnapshots(repo, 'v');
    const legacy = { ...entry!.manifest, id: randomBytes(16), labels: { [COPY_LABEL]: id } };
    await commitManifest(repo, legacy);
    await repo.store.delete(snapshotKey(repo.volumeKey('v'), entry!.manifest.id));

    const listed = await runJson<any[]>(['snapshots', '--repo', siteB]);
    expect(listed.map((s) => ({ id: s.id, labels: s.labels }))).toEqual([{ id, labels: {} }]);
    const target = join(s3.dir, 'legacy-restored');
    expect((await run(['restore', '--repo', siteB, '--volume', 'v', '--snapshot', id.slice(0, 10), '--target', target])).code).toBe(0);
    expect(await sha256File(target)).toBe(await sha256File(img));
    // A later copy from A skips it; a copy of it carries the original id onward.
    expect((await runJson(['copy', '--from', siteA, '--to', siteB])).snapshots).toEqual([]);
    expect((await runJson(['copy', '--from', siteB, '--to', siteD])).snapshots).toEqual([id]);
    expect((await runJson<any[]>(['snapshots', '--repo', siteD])).map((s) => [s.id, s.labels])).toEqual([[id, {}]]);
  });
});
