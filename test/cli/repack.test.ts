// prune rewrites mostly-dead packs: the live blobs move to new packs, a forwarding record says
// where, and every snapshot, old or new, still restores bit-exact; once nothing names the old
// places the record goes too.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { sha256File } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { listObjects } from '../helpers/repo-files.js';

const MiB = 1 << 20;
const REGION = 64 << 10;
const STRIDE = 512 << 10;

async function writeRegions(path: string, regions: readonly number[], rng: Rng): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    for (const k of regions) await fh.write(rng.bytes(REGION), 0, REGION, k * STRIDE);
  } finally {
    await fh.close();
  }
}

const keysUnder = (objects: Map<string, number>, prefix: string) => [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
const bytesUnder = (objects: Map<string, number>, prefix: string) =>
  [...objects].filter(([k]) => k.startsWith(prefix)).reduce((n, [, s]) => n + s, 0);

describe('prune repacks mostly-dead packs', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-repack-');
  });
  afterAll(() => dir?.cleanup());

  it('moves live blobs, keeps every snapshot bit-exact, and drops the forwarding once unused', async () => {
    const repo = join(dir.path, 'repo');
    const image = join(dir.path, 'img');
    const rng = new Rng(42);
    await runJson(['init', '--repo', repo, '--pack-size', '1', '--compression', 'none']);
    const fh = await open(image, 'w');
    await fh.write(rng.bytes(8 * MiB), 0, 8 * MiB, 0);
    await fh.close();
    const backup = async (day: number) => {
      const b = await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--time', `2025-05-0${day}T00:00:00Z`]);
      return { id: b.snapshot as string, sha: await sha256File(image) };
    };
    const restoreSha = async (id: string) => {
      const target = join(dir.path, `r-${id}`);
      await runJson(['restore', '--repo', repo, '--volume', 'v', '--snapshot', id, '--target', target, '--overwrite']);
      return sha256File(target);
    };
    const all = Array.from({ length: 16 }, (_, k) => k);
    await backup(1); // full
    await writeRegions(image, all, rng);
    await backup(2); // A: 16 chunks of 64 KiB in one pack
    await writeRegions(image, all.slice(4), rng);
    const b = await backup(3); // 12 of A's 16 chunks are now superseded

    // A dry run says what it would do and changes nothing.
    await runJson(['forget', '--repo', repo, '--keep-last', '1']);
    const planned = await listObjects(repo);
    const dry = await runJson(['prune', '--repo', repo, '--grace', '0', '--dry-run']);
    expect(dry.packsRepacked).toBeGreaterThanOrEqual(1);
    expect(await listObjects(repo)).toEqual(planned);
    expect((await runJson(['prune', '--repo', repo, '--grace', '0', '--repack-below', '0', '--dry-run'])).packsRepacked).toBe(0);
    expect((await run(['prune', '--repo', repo, '--repack-below', '150'])).code).toBe(2);

    const p = await runJson(['prune', '--repo', repo, '--grace', '0']);
    // A's data pack held 16 chunks of 64 KiB and 4 are live; its tree pack is mostly dead too.
    // Both are rewritten (one new pack each), the full backup's packs are mostly live and stay.
    expect(p).toMatchObject({ packsRepacked: dry.packsRepacked, packsWritten: 2, dryRun: false });
    expect(p.bytesRepacked).toBe(dry.bytesRepacked);
    expect(p.bytesRepacked).toBeGreaterThanOrEqual(4 * REGION);
    expect(p.bytesRepacked).toBeLessThan(4 * REGION + (16 << 10));
    expect(p.bytesWritten).toBeLessThan(p.bytesRepacked + (4 << 10));
    const after = await listObjects(repo);
    expect(keysUnder(after, 'forward/')).toHaveLength(1);
    expect(await restoreSha(b.id)).toBe(b.sha);
    expect(await runJson(['check', '--repo', repo, '--read-data'])).toMatchObject({ ok: true, errors: [], warnings: [] });
    // Nothing below the threshold now: a second prune rewrites nothing and keeps the record.
    const again = await runJson(['prune', '--repo', repo, '--grace', '0']);
    expect(again).toMatchObject({ packsRepacked: 0, packsDeleted: 0 });
    expect(keysUnder(await listObjects(repo), 'forward/')).toEqual(keysUnder(after, 'forward/'));

    // A backup on top of the repacked map (its parent's leaves resolve to the new places).
    await writeRegions(image, [1], rng);
    const c = await backup(4);
    expect(await restoreSha(c.id)).toBe(c.sha);
    expect(await restoreSha(b.id)).toBe(b.sha);

    // The last 4 of A's chunks superseded and B forgotten: the new pack is dead, and no
    // snapshot names A's pack any more, so the forwarding record goes as well.
    await writeRegions(image, all.slice(0, 4), rng);
    const d = await backup(5);
    const f = await runJson(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--grace', '0']);
    expect(f.remove).toEqual([c.id, b.id]);
    const end = await listObjects(repo);
    expect(keysUnder(end, 'forward/')).toEqual([]);
    expect(await restoreSha(d.id)).toBe(d.sha);
    expect(await runJson(['check', '--repo', repo, '--read-data'])).toMatchObject({ ok: true, errors: [], warnings: [] });
    // What is stored is what the one kept snapshot needs: the full backup's 8 MiB (its chunks
    // are only partly overwritten, so all live), B's 12 regions and D's 4, plus seals and trailers.
    expect(bytesUnder(end, 'data/')).toBeGreaterThan(8 * MiB + 16 * REGION);
    expect(bytesUnder(end, 'data/')).toBeLessThan(8 * MiB + 16 * REGION + (16 << 10));
  });
});
